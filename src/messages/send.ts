import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile.js';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';
import { checkType, formatMessage, messageFileName } from './format.js';
import type { MessageInput, SendResult, TypedMessageInput } from './message.js';
import { readSentKeys, recordSentKey } from './sentKeys.js';

export interface MessageDeps {
  clock?: Clock;
}

/** Two messages in the same second with the same title get `-2`, `-3`, ...; past this something is looping. */
const MAX_SAME_NAME = 100;

/**
 * Write a message into `.orchestrator/messages/`, atomically and without ever
 * replacing another message. With `dedupeKey`, a key sent before is not sent
 * again (the index outlives the message files).
 */
export async function sendMessage(layout: Layout, input: MessageInput, deps: MessageDeps = {}): Promise<SendResult> {
  const clock = deps.clock ?? systemClock;
  checkType(input.type);
  await fs.mkdir(layout.messages, { recursive: true });
  const key = input.dedupeKey?.trim();
  if (!key) return { file: await writeNew(layout, input, clock.now()), sent: true };
  // The check and the record must not interleave with another process sending the same key.
  return withLock(path.join(layout.locks, 'messages'), async () => {
    const keys = await readSentKeys(layout);
    const seen = keys[key];
    if (seen) return { file: path.join(layout.messages, seen.file), sent: false };
    const now = clock.now();
    const file = await writeNew(layout, input, now);
    await recordSentKey(layout, keys, key, { file: path.basename(file), time: isoSeconds(now) });
    return { file, sent: true };
  });
}

async function writeNew(layout: Layout, input: MessageInput, now: Date): Promise<string> {
  const text = formatMessage(input, now);
  for (let n = 1; n <= MAX_SAME_NAME; n++) {
    const file = path.join(layout.messages, messageFileName(input.type, now, input.title, n));
    try {
      await writeFileAtomic(file, text);
      return file;
    } catch (err) {
      // Taken by another message sent in the same second: try the next suffix.
      if (err instanceof ExitError && existsSync(file)) continue;
      throw err;
    }
  }
  throw new ExitError(`${layout.messages}: more than ${MAX_SAME_NAME} messages titled "${input.title}" in one second`);
}

/** send_info / send_warning / send_error / send_question, the helpers agents and people know from the message format. */
export const sendInfo = (layout: Layout, input: TypedMessageInput, deps?: MessageDeps) =>
  sendMessage(layout, { ...input, type: 'info' }, deps);
export const sendWarning = (layout: Layout, input: TypedMessageInput, deps?: MessageDeps) =>
  sendMessage(layout, { ...input, type: 'warning' }, deps);
export const sendError = (layout: Layout, input: TypedMessageInput, deps?: MessageDeps) =>
  sendMessage(layout, { ...input, type: 'error' }, deps);
export const sendQuestion = (layout: Layout, input: TypedMessageInput, deps?: MessageDeps) =>
  sendMessage(layout, { ...input, type: 'question' }, deps);
