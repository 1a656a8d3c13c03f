import type { DeliveryStage } from './stage.js';
import type { Task, TaskFields, TaskState } from './task.js';

/**
 * Where a task is in its whole life, one word each:
 *
 *   queued ──claim──▶ working ──no branch to merge──▶ finished
 *      ▲                 │ └──delivered──▶ in_review ⇄ changes_requested
 *      └──retry/release──┤                    │
 *                        ├──▶ failed          ▼
 *                        └──▶ cancelled     approved ──▶ merging ──▶ merged
 *
 * queued = incoming, working = claimed; a task in done/ is its delivery stage
 * (tasks/stage.ts) or, without one, finished (no code change, or finished
 * before stages existed); a task in failed/ is cancelled when it carries
 * cancelled_at, else failed. Every task is in exactly one.
 */
export const LIFECYCLES = [
  'queued',
  'working',
  'in_review',
  'changes_requested',
  'approved',
  'merging',
  'merged',
  'split',
  'finished',
  'failed',
  'cancelled',
] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export function taskLifecycle(task: Pick<TaskFields, 'stage' | 'cancelled_at'> & { state: TaskState }): Lifecycle {
  switch (task.state) {
    case 'incoming':
      return 'queued';
    case 'claimed':
      return 'working';
    case 'done':
      return task.stage ?? 'finished';
    case 'failed':
      return task.cancelled_at ? 'cancelled' : 'failed';
  }
}

/** A blocker releases its dependents once its change is on the base, or when it had none to merge. */
export function releasesDependents(lifecycle: Lifecycle): boolean {
  return lifecycle === 'merged' || lifecycle === 'finished';
}

/** How a lifecycle reads in a sentence: "in review", "changes requested". */
export function lifecycleLabel(lifecycle: Lifecycle | DeliveryStage): string {
  return lifecycle.replace(/_/g, ' ');
}

/** A task as `--json` prints it: its fields and its lifecycle. */
export function withLifecycle(task: Task): Task & { lifecycle: Lifecycle } {
  return { ...task, lifecycle: taskLifecycle(task) };
}

/** The non-zero counts per lifecycle in one line: "queued 2 · in review 3 · merged 5 · failed 1". */
export function lifecycleLine(counts: Readonly<Record<Lifecycle, number>>): string {
  return LIFECYCLES.filter((l) => (counts[l] ?? 0) > 0)
    .map((l) => `${lifecycleLabel(l)} ${counts[l]}`)
    .join(' · ');
}
