import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';

/**
 * The de-duplication index: which keys were sent, when, and as which file.
 * It lives beside the messages as a dot-file, so clearing the messages (by
 * hand with `rm *.md`, or with clearMessages) leaves it in place and a
 * problem already reported is not reported again on the next tick.
 */
export interface SentKey {
  file: string;
  time: string;
}

export type SentKeys = Record<string, SentKey>;

/** Oldest keys are forgotten past this many, so the file stays small for ever. */
export const MAX_SENT_KEYS = 2000;

export function sentKeysFile(layout: Layout): string {
  return path.join(layout.messages, '.sent-keys.json');
}

export async function readSentKeys(layout: Layout): Promise<SentKeys> {
  return (await readJsonIfExists<SentKeys>(sentKeysFile(layout))) ?? {};
}

export async function recordSentKey(layout: Layout, keys: SentKeys, key: string, entry: SentKey): Promise<void> {
  const next: SentKeys = { ...keys, [key]: entry };
  const names = Object.keys(next);
  if (names.length > MAX_SENT_KEYS) {
    names.sort((a, b) => (next[a]!.time < next[b]!.time ? -1 : 1));
    for (const old of names.slice(0, names.length - MAX_SENT_KEYS)) delete next[old];
  }
  await writeJsonAtomic(sentKeysFile(layout), next);
}
