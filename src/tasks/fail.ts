import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { loadFenced } from './fenced.js';
import { chargeAttempt } from './lease.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface FailOptions {
  error: string;
  /** Try again (after a backoff) while attempts remain; false sends it straight to failed/. */
  retry: boolean;
  /** Base backoff; doubles with each attempt already made. */
  backoffSeconds: number;
  clock?: Clock;
}

/**
 * claimed → incoming (attempts + 1, not_before = now + backoff·2^attempts) or,
 * once max_attempts is used up or retry is false, → failed. Fenced.
 */
export async function failTask(layout: Layout, id: string, token: string, options: FailOptions): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadFenced(layout, id, token);
    const now = (options.clock ?? systemClock).now();
    const to = chargeAttempt(task, options.error, now, options.backoffSeconds, options.retry);
    return saveTask(layout, task, to);
  });
}
