import type { Layout } from '../core/paths.js';
import { fileOf, listIds, QueueFileError, readTextSync } from '../core/queueFolder.js';
import { taskQueue } from '../tasks/folders.js';
import { parseTask } from '../tasks/format.js';
import { TASK_STATES, type Task } from '../tasks/task.js';

/**
 * The tasks whose file passes `mayMatch`, fully parsed, from every folder,
 * with the ids of all tasks. A plan's tasks are a few among thousands: the
 * text test (a `plan:` or `parent:` line) spares the YAML parse of the rest,
 * which is most of the time a full listing costs. A file that does not parse
 * is skipped here; the listings that own the queue quarantine it.
 */
export function readTasksWhere(
  layout: Layout,
  mayMatch: (text: string) => boolean,
): { tasks: Task[]; ids: Set<string> } {
  const q = taskQueue(layout);
  const tasks: Task[] = [];
  const ids = new Set<string>();
  for (const state of TASK_STATES) {
    for (const id of listIds(q, state)) {
      ids.add(id);
      const file = fileOf(q, state, id);
      const text = readTextSync(file);
      if (text === undefined || !mayMatch(text)) continue;
      try {
        tasks.push(parseTask(text, file, state));
      } catch (err) {
        if (!(err instanceof QueueFileError)) throw err;
      }
    }
  }
  return { tasks, ids };
}

/** A task file's metadata may name this plan (either file format; the parse decides). */
export function mayBeOfPlan(slug: string): (text: string) => boolean {
  return (text) => text.includes(slug) && /^plan:/im.test(text);
}

/** A task file may name a parent. */
export function mayHaveParent(text: string): boolean {
  return /^parent:/im.test(text);
}
