import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { expectState, loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface CancelOptions {
  reason: string;
  /** Who cancelled it (a person or an agent). */
  by: string;
  clock?: Clock;
}

/**
 * incoming or claimed → failed, marked cancelled. A runner still working on a
 * cancelled task sees it within seconds (its heartbeat watches the file) and
 * stops its client; any effect it was about to have is fenced (withFence.ts).
 */
export async function cancelTask(layout: Layout, id: string, options: CancelOptions): Promise<Task> {
  if (options.reason.trim() === '') throw new ExitError(`cancel ${id}: give a reason`);
  return withTaskLock(layout, async () => {
    const task = await loadTaskLocked(layout, id);
    expectState(task, ['incoming', 'claimed'], 'cancelled');
    task.cancelled_at = isoSeconds((options.clock ?? systemClock).now());
    task.error = `cancelled: ${options.reason.trim()} (by ${options.by})`;
    task.lease = undefined;
    task.not_before = undefined;
    return saveTask(layout, task, 'failed');
  });
}
