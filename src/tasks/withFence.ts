import type { Layout } from '../core/paths.js';
import { loadFenced } from './fenced.js';
import { withTaskLock } from './store.js';
import type { Task } from './task.js';

/**
 * No side effect without the lease. A runner learns that it lost its task
 * (cancelled, or reclaimed after its lease expired) only when it looks, so
 * every external effect of a run (a merge into the base, a review entry, a
 * PR, a follow-up task) is done through a fence: take the queue lock, load the
 * task fenced by its token, and run the step while the lock is held. A cancel
 * or a reclaim takes the same lock to move the task, so it lands either
 * before the check (the step does not happen, LeaseLostError) or after the
 * step (the step belongs to the holder's run, as the queue move would).
 *
 * The queue lock is shared by every claim and every tick, so a fenced step
 * must be short: a ref update, a file write, one bounded `gh pr create`.
 * Long work before it (a test run, a push over the network) is done outside
 * the lock, after a fresh `checkFence`, and only its final irreversible step
 * goes through the fence.
 */
export type Fence = <T>(step: (task: Task) => Promise<T>) => Promise<T>;

/** Run `step` under the queue lock, after checking that `token` still holds task `id`. Throws LeaseLostError otherwise. */
export function withFence<T>(layout: Layout, id: string, token: string, step: (task: Task) => Promise<T>): Promise<T> {
  return withTaskLock(layout, async () => step(await loadFenced(layout, id, token)));
}

/** A fresh look at the lease (the lock is held only for the read): the task, or LeaseLostError. */
export function checkFence(layout: Layout, id: string, token: string): Promise<Task> {
  return withFence(layout, id, token, async (task) => task);
}

/** The fence of one claimed task, to hand to code that does not know about leases. */
export function fenceFor(layout: Layout, id: string, token: string): Fence {
  return (step) => withFence(layout, id, token, step);
}
