import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { loadFenced } from './fenced.js';
import { positiveSeconds } from './lease.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface RenewOptions {
  leaseSeconds: number;
  clock?: Clock;
  /** The runner process: recorded so reconcile can tell a dead or reused pid from a live runner. */
  runner?: ProcessIdentity;
}

/** Heartbeat: push the lease's expiry forward. Throws LeaseLostError when the token is no longer current. */
export async function renewLease(layout: Layout, id: string, token: string, options: RenewOptions): Promise<Task> {
  positiveSeconds(options.leaseSeconds, 'leaseSeconds');
  return withTaskLock(layout, async () => {
    const task = await loadFenced(layout, id, token);
    const now = (options.clock ?? systemClock).now();
    const lease = task.lease!;
    lease.expires_at = isoSeconds(new Date(now.getTime() + options.leaseSeconds * 1000));
    lease.renewed_at = isoSeconds(now);
    if (options.runner) {
      lease.pid = options.runner.pid;
      lease.pid_start = options.runner.start;
    }
    return saveTask(layout, task);
  });
}
