import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { listIds } from '../core/queueFolder.js';
import { type DependencyNode, type DependencyProblem, dependencyProblems } from './deps.js';
import { taskQueue } from './folders.js';
import { LIFECYCLES, type Lifecycle, taskLifecycle } from './lifecycle.js';
import { readIndex } from './queueIndex/open.js';
import { TASK_STATES, type TaskState } from './task.js';

export interface QueueStatus {
  /** Task files per folder (unreadable ones included). */
  counts: Record<TaskState, number>;
  /** Readable tasks per role, all folders together. */
  byRole: Record<string, number>;
  byStateAndRole: Record<TaskState, Record<string, number>>;
  /** Readable tasks per lifecycle (tasks/lifecycle.ts): done split into in review, approved, merged, finished, ... */
  byLifecycle: Record<Lifecycle, number>;
  quarantined: number;
  /** Files that could not be read; the next listing or claim moves them to quarantine. */
  unreadable: { file: string; state: TaskState; reason: string }[];
  dependencyProblems: DependencyProblem[];
}

/**
 * Counts for `queue-status`, from the queue index (queueIndex/): the files
 * are read only where a folder's stamp says the index does not know them
 * (see docs/internals.md, "The queue index"). Changes no task.
 */
export async function queueStatus(layout: Layout): Promise<QueueStatus> {
  const q = taskQueue(layout);
  const index = await readIndex(layout, TASK_STATES);
  const status: QueueStatus = {
    counts: { incoming: 0, claimed: 0, done: 0, failed: 0 },
    byRole: {},
    byStateAndRole: { incoming: {}, claimed: {}, done: {}, failed: {} },
    byLifecycle: Object.fromEntries(LIFECYCLES.map((l) => [l, 0])) as Record<Lifecycle, number>,
    quarantined: listIds(q, 'quarantine').length,
    unreadable: [],
    dependencyProblems: [],
  };
  const nodes: DependencyNode[] = [];
  for (const state of TASK_STATES) {
    const roles = status.byStateAndRole[state];
    for (const [name, e] of index.folders[state].files) {
      status.counts[state]++;
      const task = e.s;
      if (!task) {
        const file = path.join(q.dir(state), name);
        status.unreadable.push({ file, state, reason: e.bad ?? `${file} could not be read` });
        nodes.push({ id: name.slice(0, -3), blocked_by: [], state }); // still a known id for blocked_by checks
        continue;
      }
      status.byLifecycle[taskLifecycle({ state, stage: task.stage, cancelled_at: task.cancelled_at })]++;
      status.byRole[task.role] = (status.byRole[task.role] ?? 0) + 1;
      roles[task.role] = (roles[task.role] ?? 0) + 1;
      nodes.push({ id: task.id, blocked_by: task.blocked_by, state });
    }
  }
  status.dependencyProblems = dependencyProblems(nodes);
  return status;
}
