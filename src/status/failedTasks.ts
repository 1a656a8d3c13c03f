import type { Layout } from '../core/paths.js';
import { fileOf, listIds, QueueFileError, readTextSync } from '../core/queueFolder.js';
import { taskQueue } from '../tasks/folders.js';
import { parseTask } from '../tasks/format.js';

export interface FailedTask {
  id: string;
  title: string;
  role: string;
  attempts: number;
  error?: string;
  wip_branch?: string;
}

/**
 * Tasks in failed/ that failed by themselves (a cancelled task was a person's
 * choice and needs nobody). Read-only, unlike listTasks: status must never
 * move a file, and an unreadable one is counted by queueStatus already.
 */
export function failedTasks(layout: Layout): FailedTask[] {
  const q = taskQueue(layout);
  const out: FailedTask[] = [];
  for (const id of listIds(q, 'failed')) {
    const file = fileOf(q, 'failed', id);
    const text = readTextSync(file);
    if (text === undefined) continue;
    try {
      const task = parseTask(text, file, 'failed');
      if (task.cancelled_at) continue;
      out.push({
        id: task.id,
        title: task.title,
        role: task.role,
        attempts: task.attempts,
        ...(task.error ? { error: task.error } : {}),
        ...(task.wip_branch ? { wip_branch: task.wip_branch } : {}),
      });
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
    }
  }
  return out;
}
