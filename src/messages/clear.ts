import { promises as fs } from 'node:fs';
import { type Clock, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { listMessages } from './list.js';
import type { MessageType } from './message.js';
import { messageTimeMs } from './parse.js';

export interface ClearOptions {
  /** Only messages older than this many hours. */
  olderThanHours?: number;
  type?: MessageType;
}

/**
 * Remove messages; returns how many. The de-duplication index is kept, so a
 * problem reported once stays reported.
 */
export async function clearMessages(
  layout: Layout,
  options: ClearOptions = {},
  deps: { clock?: Clock } = {},
): Promise<number> {
  const { olderThanHours } = options;
  if (olderThanHours !== undefined && !(Number.isFinite(olderThanHours) && olderThanHours >= 0)) {
    throw new ExitError(`olderThanHours must be a number of hours >= 0, got ${olderThanHours}`);
  }
  const now = (deps.clock ?? systemClock).now().getTime();
  const messages = await listMessages(layout, options.type === undefined ? {} : { type: options.type });
  let removed = 0;
  for (const message of messages) {
    if (olderThanHours !== undefined && now - messageTimeMs(message) <= olderThanHours * 3_600_000) continue;
    await fs.rm(message.file, { force: true });
    removed++;
  }
  return removed;
}
