import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { checkId } from '../core/queueLookup.js';
import { loadFenced } from './fenced.js';
import { taskQueue } from './folders.js';
import { loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface UpdateOptions {
  /** When given, the task must be claimed under this token (a runner editing its own task). */
  token?: string;
}

/**
 * Edit a task in place, in whatever folder it is (record `wip_branch`, raise a
 * priority, ...). `mutate` changes the task it is given, or returns a new one;
 * the id and folder cannot change here (transitions do that).
 */
export async function updateTask(
  layout: Layout,
  id: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: a mutator that edits the task in place returns nothing; one that builds a new task returns it.
  mutate: (task: Task) => Task | void,
  options: UpdateOptions = {},
): Promise<Task> {
  checkId(taskQueue(layout), id);
  return withTaskLock(layout, async () => {
    const task =
      options.token === undefined ? await loadTaskLocked(layout, id) : await loadFenced(layout, id, options.token);
    const { state, file } = task;
    const next = mutate(task) ?? task;
    if (next.id !== id) throw new ExitError(`${id}: an update cannot change the id (got ${next.id})`);
    return saveTask(layout, { ...next, state, file });
  });
}
