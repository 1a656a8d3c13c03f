import { statSync } from 'node:fs';
import type { Layout } from '../core/paths.js';
import { TASK_STATES } from '../core/paths.js';
import { fileOf, listIds, QueueFileError, readTextSync } from '../core/queueFolder.js';
import { taskQueue } from '../tasks/folders.js';
import { parseTask } from '../tasks/format.js';
import type { Task } from '../tasks/task.js';

/** The moment a run started, on both clocks a check needs. */
export interface RunStart {
  /** `isoSeconds` of the run's clock: compared with a task's `created`. */
  iso: string;
  /** Wall-clock ms: compared with file times, so older files are skipped unread. */
  epochMs: number;
}

/** File times may be coarser than the clock, and a rename keeps them: leave a little slack. */
const MTIME_SLACK_MS = 2_000;

/**
 * Tasks an agent created since its run started, wherever they are now (an
 * implementer may have claimed or even finished one meanwhile). Only one run
 * per agent is in flight, so `created_by` + creation time identify the run's
 * tasks; files not written since the start are not even read, so the done/
 * folder's size does not matter.
 */
export function tasksCreatedSince(layout: Layout, agent: string, since: RunStart): Task[] {
  const q = taskQueue(layout);
  const found: Task[] = [];
  for (const state of TASK_STATES) {
    for (const id of listIds(q, state)) {
      const file = fileOf(q, state, id);
      const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (mtime === undefined || mtime < since.epochMs - MTIME_SLACK_MS) continue;
      const text = readTextSync(file);
      if (text === undefined) continue;
      try {
        const task = parseTask(text, file, state);
        if (task.created_by === agent && task.created >= since.iso) found.push(task);
      } catch (err) {
        // An unreadable file is the queue readers' to quarantine; it is not ours to count.
        if (!(err instanceof QueueFileError)) throw err;
      }
    }
  }
  return found.sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
}
