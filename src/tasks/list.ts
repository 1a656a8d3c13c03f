import type { Layout } from '../core/paths.js';
import { findEntry, type QueueProblem, readStates } from '../core/queueMoves.js';
import { byCreation, matchesFilter, type TaskFilter } from './filter.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { notFound } from './store.js';
import { TASK_STATES, type Task, type TaskState } from './task.js';

export interface TaskListing {
  tasks: Task[];
  /** Files that could not be read; each was moved to quarantine with its reason. */
  problems: QueueProblem[];
}

/**
 * Every task the filter keeps (default: all), oldest first. Unreadable files
 * go to quarantine; the rest still load. Only the folders of `states` are read.
 */
export async function listTasks(layout: Layout, filter: TaskFilter = {}): Promise<TaskListing> {
  const states: readonly TaskState[] = filter.states?.length ? filter.states : TASK_STATES;
  const { items, problems } = await readStates(taskQueue(layout), states, parseTask);
  return { tasks: items.filter((t) => matchesFilter(t, filter)).sort(byCreation), problems };
}

/** One task by id, from whichever folder holds it. Unknown or unsafe ids are a one-line ExitError. */
export function findTask(layout: Layout, id: string): Promise<Task> {
  return findEntry(taskQueue(layout), id, parseTask, notFound);
}
