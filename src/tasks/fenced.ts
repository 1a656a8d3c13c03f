import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { checkId } from '../core/queueLookup.js';
import { taskQueue } from './folders.js';
import { assertHolds, LeaseLostError } from './lease.js';
import { loadTaskLocked } from './store.js';
import type { Task } from './task.js';

/**
 * Load a claimed task for its lease holder; caller holds the lock. A task that
 * vanished or became unreadable is a lost lease too: the runner must stop.
 */
export async function loadFenced(layout: Layout, id: string, token: string): Promise<Task> {
  checkId(taskQueue(layout), id);
  let task: Task;
  try {
    task = await loadTaskLocked(layout, id);
  } catch (err) {
    if (err instanceof ExitError) throw new LeaseLostError(id, err.message);
    throw err;
  }
  assertHolds(task, token);
  return task;
}
