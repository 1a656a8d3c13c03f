import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { type Layout, TASK_STATES } from '../core/paths.js';
import { QueueFileError } from '../core/queueFolder.js';
import { loadEntryLocked, rewriteAndMove, withQueueLock } from '../core/queueMoves.js';
import { DuplicateTaskError, resolveTaskDuplicate } from './duplicates.js';
import { taskQueue } from './folders.js';
import { parseTask, renderTask } from './format.js';

import type { Task, TaskState } from './task.js';

export function withTaskLock<T>(layout: Layout, fn: () => Promise<T>): Promise<T> {
  return withQueueLock(taskQueue(layout), fn);
}

export function notFound(id: string): ExitError {
  return new ExitError(`task ${id} not found in ${TASK_STATES.join(', ')}`);
}

/**
 * Read one task; caller holds the lock. An unreadable file is quarantined and
 * reported as an error, so a broken file never blocks a transition twice. A
 * copy of the task in a second folder is quarantined first (duplicates.ts),
 * so the copy read is the one that is kept.
 */
export async function loadTaskLocked(layout: Layout, id: string): Promise<Task> {
  await resolveTaskDuplicate(layout, id);
  return loadEntryLocked(taskQueue(layout), id, parseTask, notFound);
}

/** Refuse a transition from a state it does not apply to. */
export function expectState(task: Task, allowed: readonly TaskState[], action: string): void {
  if (!allowed.includes(task.state)) {
    throw new ExitError(`${task.id} is in ${task.state}; only a task in ${allowed.join(' or ')} can be ${action}`);
  }
}

/**
 * Write a task and, when `to` differs, move it; caller holds the lock. The
 * file is rewritten in place first (atomic rename over itself), then moved
 * without clobbering, so it is never in two folders and never half-written.
 * The new text is parsed back before it is written: an edit cannot produce a
 * file the queue would quarantine.
 */
export async function saveTask(layout: Layout, task: Task, to: TaskState = task.state): Promise<Task> {
  const q = taskQueue(layout);
  let text: string;
  let written: Task;
  try {
    ({ text, written } = renderTask(task));
  } catch (err) {
    if (err instanceof QueueFileError)
      throw new ExitError(`${task.id}: refusing to write an invalid task (${err.message})`);
    throw err;
  }
  // A copy elsewhere would make the move fail after the rewrite: settle it first, and change nothing when this copy is the one set aside.
  const duplicate = await resolveTaskDuplicate(layout, task.id);
  if (duplicate && path.resolve(duplicate.kept) !== path.resolve(task.file))
    throw new DuplicateTaskError(duplicate, task.file);
  const file = await rewriteAndMove(q, task.file, text, task.state, to);
  // The text parsed above is the text written: only its place differs (parsing depends on neither).
  return { ...written, file, state: to };
}
