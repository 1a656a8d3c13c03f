import type { Layout } from '../core/paths.js';
import { findEntry, type QueueProblem, readStates } from '../core/queueMoves.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { notFound } from './store.js';
import { TASK_STATES, type Task, type TaskState } from './task.js';

export interface TaskListing {
  tasks: Task[];
  /** Files that could not be read; each was moved to quarantine with its reason. */
  problems: QueueProblem[];
}

/** Every task in the given states (default: all). Unreadable files go to quarantine; the rest still load. */
export async function listTasks(layout: Layout, options: { states?: readonly TaskState[] } = {}): Promise<TaskListing> {
  const { items, problems } = await readStates(taskQueue(layout), options.states ?? TASK_STATES, parseTask);
  return { tasks: items, problems };
}

/** One task by id, from whichever folder holds it. Unknown or unsafe ids are a one-line ExitError. */
export function findTask(layout: Layout, id: string): Promise<Task> {
  return findEntry(taskQueue(layout), id, parseTask, notFound);
}
