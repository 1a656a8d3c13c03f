import type { Layout } from '../core/paths.js';
import { QueueFileError, readTextSync } from '../core/queueFolder.js';
import { locate } from '../core/queueLookup.js';
import { readStates, type QueueProblem } from '../core/queueMoves.js';
import { parseTask } from './format.js';
import { taskQueue } from './folders.js';
import { loadTaskLocked, notFound, withTaskLock } from './store.js';
import { TASK_STATES, type Task, type TaskState } from './types.js';

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
export async function findTask(layout: Layout, id: string): Promise<Task> {
  const where = locate(taskQueue(layout), id);
  const text = where && readTextSync(where.file);
  if (!where || text === undefined) throw notFound(id);
  try {
    return parseTask(text, where.file, where.state);
  } catch (err) {
    if (!(err instanceof QueueFileError)) throw err;
    // Quarantines it and throws, naming where it went.
    return withTaskLock(layout, () => loadTaskLocked(layout, id));
  }
}
