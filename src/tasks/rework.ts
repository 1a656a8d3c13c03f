import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { expectState, loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface ReworkOptions {
  /** Why the delivered work came back (`PR #12 closed without merging`). */
  reason: string;
  /** The branch holding the delivered work: the next attempt continues from it. */
  branch?: string;
  clock?: Clock;
}

/**
 * done → incoming, when the delivered work was turned away (its PR closed
 * unmerged): the turn-away costs an attempt, and once max_attempts is used up
 * the task goes to failed with the reason instead of looping.
 */
export async function reworkTask(layout: Layout, id: string, options: ReworkOptions): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadTaskLocked(layout, id);
    expectState(task, ['done'], 'sent back for rework');
    task.attempts += 1;
    task.error = options.reason;
    task.lease = undefined;
    task.not_before = undefined;
    task.stage = undefined;
    task.stage_at = undefined;
    if (task.attempts >= task.max_attempts) return saveTask(layout, task, 'failed');
    if (options.branch) task.wip_branch = options.branch;
    task.not_before = isoSeconds((options.clock ?? systemClock).now());
    return saveTask(layout, task, 'incoming');
  });
}
