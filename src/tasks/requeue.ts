import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { isProcessAlive, type ProcessIdentity, UNKNOWN_START, unknownStartExpired } from '../core/processInfo.js';
import { readStates } from '../core/queueMoves.js';
import { DuplicateTaskError, resolveTaskDuplicates } from './duplicates.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { chargeAttempt } from './lease.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task, TaskState } from './task.js';

export interface RequeueOptions {
  clock?: Clock;
  /** Injected so tests can forge dead and reused pids. */
  isAlive?: (id: ProcessIdentity) => Promise<boolean>;
  backoffSeconds: number;
}

export interface RequeueAction {
  id: string;
  /** `quarantine`: a second copy of the task in another folder was set aside (duplicates.ts); no attempt is charged. */
  to: Extract<TaskState, 'incoming' | 'failed'> | 'quarantine';
  reason: string;
  /** Attempts after the move; absent for `quarantine`, which charges none. */
  attempts?: number;
  holder?: string;
}

/**
 * Reconcile step. First, a task id found in two folders keeps one copy and
 * the other goes to quarantine (duplicates.ts), without charging an attempt.
 * Then a claimed task whose runner is dead (pid gone, or reused by another
 * process) or whose lease expired goes back to incoming with attempts + 1, or
 * to failed past max_attempts. A runner that is alive and keeps renewing is
 * never touched.
 */
export async function requeueStale(layout: Layout, options: RequeueOptions): Promise<RequeueAction[]> {
  const isAlive = options.isAlive ?? isProcessAlive;
  return withTaskLock(layout, async () => {
    const now = (options.clock ?? systemClock).now();
    const actions: RequeueAction[] = [];
    for (const dup of await resolveTaskDuplicates(layout)) {
      for (const q of dup.quarantined)
        actions.push({ id: dup.id, to: 'quarantine', reason: `${q.reason} (now ${q.to})` });
    }
    const { items } = await readStates(taskQueue(layout), ['claimed'], parseTask, { locked: true });
    for (const task of items) {
      const reason = await staleReason(task, now, isAlive);
      if (reason === undefined) continue;
      const holder = task.lease?.holder;
      const to = chargeAttempt(task, reason, now, options.backoffSeconds) as 'incoming' | 'failed';
      let saved: Task;
      try {
        saved = await saveTask(layout, task, to);
      } catch (err) {
        if (!(err instanceof DuplicateTaskError)) throw err;
        continue; // a copy elsewhere appeared meanwhile and is kept; this one was set aside
      }
      actions.push({ id: saved.id, to, reason, attempts: saved.attempts, ...(holder ? { holder } : {}) });
    }
    return actions;
  });
}

/** Why a claimed task's runner has lost it, or undefined when it still holds it. */
export async function staleReason(
  task: Task,
  now: Date,
  isAlive: (id: ProcessIdentity) => Promise<boolean>,
): Promise<string | undefined> {
  const lease = task.lease;
  if (!lease) return 'claimed without a lease';
  if (lease.pid !== undefined) {
    const runner = { pid: lease.pid, start: lease.pid_start ?? UNKNOWN_START };
    // Without its start time the pid is believed only while the lease is valid; past it the expiry below speaks.
    if (!unknownStartExpired(runner, now, new Date(lease.expires_at)) && !(await isAlive(runner)))
      return `runner ${lease.holder} (pid ${lease.pid}) is no longer running`;
  }
  if (Date.parse(lease.expires_at) <= now.getTime()) return `lease of ${lease.holder} expired at ${lease.expires_at}`;
  return undefined;
}
