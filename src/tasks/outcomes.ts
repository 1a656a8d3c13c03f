import { statSync } from 'node:fs';
import type { Layout } from '../core/paths.js';
import { fileOf, listIds, QueueFileError, readTextSync } from '../core/queueFolder.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { handoffOf } from './handoff.js';
import { type Lifecycle, taskLifecycle } from './lifecycle.js';
import type { Task, TaskState } from './task.js';

/** How a task a creator made ended, with what its last run left for it. */
export interface TaskOutcome {
  id: string;
  title: string;
  role: string;
  lifecycle: Extract<Lifecycle, 'merged' | 'finished' | 'failed' | 'cancelled'>;
  /** ISO time it ended: its stage time, or when its file last moved. */
  ended_at: string;
  /** The `## Handoff` text: summary, what changed, what is left. */
  handoff?: string;
  /** Why it failed or was cancelled. */
  error?: string;
}

const ENDED = new Set<Lifecycle>(['merged', 'finished', 'failed', 'cancelled']);

/**
 * The tasks `creator` made that ended since `since` (merged, finished without
 * a branch, failed for good, cancelled), newest first, at most `limit`. A
 * task's file is written when it ends, so files older than `since` are not
 * even read: the done/ folder's size does not matter.
 */
export function recentOutcomes(
  layout: Layout,
  creator: string,
  options: { since: Date; limit: number },
): TaskOutcome[] {
  const found: TaskOutcome[] = [];
  for (const { task, mtimeMs } of tasksWrittenSince(layout, ['done', 'failed'], options.since)) {
    const lifecycle = taskLifecycle(task);
    if (task.created_by !== creator || !ENDED.has(lifecycle)) continue;
    const handoff = handoffOf(task);
    found.push({
      id: task.id,
      title: task.title,
      role: task.role,
      lifecycle: lifecycle as TaskOutcome['lifecycle'],
      ended_at: task.stage_at ?? task.cancelled_at ?? new Date(mtimeMs).toISOString(),
      ...(handoff ? { handoff } : {}),
      ...(task.error && (lifecycle === 'failed' || lifecycle === 'cancelled') ? { error: task.error } : {}),
    });
  }
  return found.sort((a, b) => b.ended_at.localeCompare(a.ended_at) || a.id.localeCompare(b.id)).slice(0, options.limit);
}

/**
 * The tasks in `states` whose file was written at or after `since`, with
 * that time. Every move and edit rewrites a task's file, so a task that
 * ended (or changed stage) in the window is among them; older files are not
 * read at all.
 */
export function tasksWrittenSince(
  layout: Layout,
  states: readonly TaskState[],
  since: Date,
): { task: Task; mtimeMs: number }[] {
  const q = taskQueue(layout);
  const out: { task: Task; mtimeMs: number }[] = [];
  for (const state of states) {
    for (const id of listIds(q, state)) {
      const file = fileOf(q, state, id);
      const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined || mtimeMs < since.getTime()) continue;
      const text = readTextSync(file);
      if (text === undefined) continue;
      try {
        out.push({ task: parseTask(text, file, state), mtimeMs });
      } catch (err) {
        // An unreadable file is the queue readers' to quarantine; it is not ours to count.
        if (!(err instanceof QueueFileError)) throw err;
      }
    }
  }
  return out;
}
