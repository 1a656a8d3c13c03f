import { loadConfig } from '../config/load.js';
import { type Clock, systemClock } from '../core/clock.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';
import { currentProcessIdentity } from '../core/processInfo.js';
import { type QueueRun, runQueue } from './runQueue.js';
import { mergeQueueLock } from './state.js';

export interface DrainOptions {
  clock?: Clock;
  log?: (line: string) => void;
  /** How long to wait for the batch in flight before this one (default 1 hour). */
  waitMs?: number;
  rework?: boolean;
  actor?: string;
}

/**
 * Run the merge queue in this process until nothing approved waits or it is
 * held: the detached batch process a tick starts, and a person's
 * `review approve`, which waits for the batch in flight and then merges.
 */
export async function drainQueue(layout: Layout, options: DrainOptions = {}): Promise<QueueRun> {
  const { config } = await loadConfig(layout);
  const owner = await currentProcessIdentity();
  return withLock(
    mergeQueueLock(layout),
    () =>
      runQueue({
        layout,
        config,
        clock: options.clock ?? systemClock,
        log: options.log ?? (() => undefined),
        owner,
        rework: options.rework !== false,
        ...(options.actor ? { actor: options.actor } : {}),
      }),
    { waitMs: options.waitMs ?? 60 * 60_000 },
  );
}
