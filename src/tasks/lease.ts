import { nanoid } from 'nanoid';
import { isoSeconds } from '../core/clock.js';
import { ExitError, InternalError } from '../core/errors.js';
import type { Lease, Task, TaskState } from './task.js';

/**
 * A runner lost its claim: the token no longer matches (the task was
 * reclaimed) or the task left claimed/. The runner must stop and must not
 * push or report the task as its own. Internal: a cancel or a reclaim won a
 * race, nobody made a mistake, and nothing is left to fix.
 */
export class LeaseLostError extends InternalError {
  readonly taskId: string;
  constructor(taskId: string, why: string) {
    super('lease', `${taskId}: lease lost (${why})`);
    this.name = 'LeaseLostError';
    this.taskId = taskId;
  }
}

export function newLease(holder: string, leaseSeconds: number, now: Date): Lease {
  return {
    holder,
    token: nanoid(),
    acquired_at: isoSeconds(now),
    expires_at: isoSeconds(new Date(now.getTime() + leaseSeconds * 1000)),
  };
}

/** Fencing: only the holder of the current token may move a claimed task. */
export function assertHolds(task: Task, token: string): void {
  if (task.state !== 'claimed') throw new LeaseLostError(task.id, `the task is in ${task.state}, no longer claimed`);
  if (!task.lease) throw new LeaseLostError(task.id, 'the task has no lease');
  if (task.lease.token !== token)
    throw new LeaseLostError(task.id, `token does not match; ${task.lease.holder} holds it now`);
}

/**
 * Charge a failed attempt: back to incoming after a backoff that doubles per
 * attempt (backoff·2^attempts), or to failed once max_attempts is used up.
 * Mutates the task and returns where it goes.
 */
export function chargeAttempt(task: Task, error: string, now: Date, backoffSeconds: number, retry = true): TaskState {
  const before = task.attempts;
  task.attempts = before + 1;
  task.lease = undefined;
  task.error = error;
  if (!retry || task.attempts >= task.max_attempts) {
    task.not_before = undefined;
    return 'failed';
  }
  task.not_before = isoSeconds(new Date(now.getTime() + backoffSeconds * 1000 * 2 ** before));
  return 'incoming';
}

export function positiveSeconds(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new ExitError(`${name} must be a positive number of seconds, got ${value}`);
}
