import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { type DuplicateResolution, resolveAllDuplicates, resolveDuplicate } from '../core/queueDuplicates.js';
import { recordCleanSweep, sweptClean, takeSweepSign } from './duplicateSweepSign.js';
import { taskQueue } from './folders.js';
import type { TaskState } from './task.js';

/**
 * Which copy of a task in two folders is the task: the one furthest along.
 * done: its change landed and its dependents may have been released; failed:
 * it ended; claimed: a runner may be working under its lease; incoming: it
 * only waits. A person who wants a finished task run again moves it
 * (`retry-failed`) or enqueues a new one; a copy does not.
 */
export const TASK_KEEP_ORDER: readonly TaskState[] = ['done', 'failed', 'claimed', 'incoming'];

/**
 * A transition was asked of a copy that turned out to be a duplicate, now in
 * quarantine. An ExitError: the person's command did nothing and says so; it
 * can be run again against the copy that was kept. (A fenced load turns it
 * into a lost lease for a runner, tasks/fenced.ts.)
 */
export class DuplicateTaskError extends ExitError {
  constructor(
    readonly resolution: DuplicateResolution,
    file: string,
  ) {
    super(
      `${resolution.id}: ${file} was a duplicate of ${resolution.kept} and was moved to quarantine; nothing was changed`,
    );
    this.name = 'DuplicateTaskError';
  }
}

/** Caller holds the queue lock. */
export function resolveTaskDuplicate(layout: Layout, id: string): Promise<DuplicateResolution | undefined> {
  return resolveDuplicate(taskQueue(layout), id, TASK_KEEP_ORDER);
}

/**
 * Every task id in two folders, resolved; caller holds the queue lock. No
 * folder listed when none has changed since a sweep that found nothing
 * (duplicateSweepSign.ts).
 */
export async function resolveTaskDuplicates(layout: Layout): Promise<DuplicateResolution[]> {
  const sign = takeSweepSign(layout, TASK_KEEP_ORDER);
  if (sweptClean(layout, sign)) return [];
  const found = await resolveAllDuplicates(taskQueue(layout), TASK_KEEP_ORDER, 'done');
  // Quarantining changed the folders: the next sweep lists them again and records its own sign.
  if (found.length === 0) recordCleanSweep(layout, sign);
  return found;
}
