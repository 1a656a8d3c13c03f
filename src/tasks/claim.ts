import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { QueueFileError, readTextSync } from '../core/queueFolder.js';
import { quarantineFile } from '../core/queueMoves.js';
import { type ClaimLimits, checkBackpressure } from './backpressure.js';
import { type Blockers, blockedText, doneBlockers } from './blockers.js';
import { DuplicateTaskError } from './duplicates.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { newLease, positiveSeconds } from './lease.js';
import { claimability, compareClaimOrder, noClaimableReason } from './order.js';
import { pick } from './scan.js';
import { expectState, loadTaskLocked, saveTask, withTaskLock } from './store.js';
import { readSummaries, type SummaryRead } from './summaryCache.js';
import type { Task } from './task.js';

export type { ClaimLimits } from './backpressure.js';

export interface ClaimOptions {
  /** Who claims (agent name); written into the lease. */
  holder: string;
  leaseSeconds: number;
  clock?: Clock;
  limits?: ClaimLimits;
}

export type ClaimResult = { ok: true; task: Task; token: string } | { ok: false; reason: string };

/**
 * Claim the first claimable incoming task of `role`. The backpressure
 * counts, the final choice and the move happen under the queue lock, so any
 * number of processes claim each task exactly once.
 *
 * The folder is read and ranked before taking the lock, so the lock is held
 * only to re-check the chosen file and move it; a task that appeared in
 * between counts as arriving just after this claim. When no ranked task is
 * still claimable the folder is read again under the lock, which is what
 * decides that nothing can be claimed.
 */
export async function claimNext(layout: Layout, options: ClaimOptions & { role: string }): Promise<ClaimResult> {
  positiveSeconds(options.leaseSeconds, 'leaseSeconds');
  const clock = options.clock ?? systemClock;
  const early = readIncoming(layout);
  return withTaskLock(layout, async () => {
    const limited = await checkBackpressure(layout, options.limits);
    if (limited) return { ok: false, reason: limited };
    const now = clock.now();
    const done = doneBlockers(taskQueue(layout));
    const quick = await claimFirst(layout, early, done, options, now);
    if (quick) return quick;
    const fresh = readIncoming(layout);
    const slow = await claimFirst(layout, fresh, done, options, now);
    return slow ?? { ok: false, reason: noClaimableReason(options.role, fresh.summaries, done, now) };
  });
}

function readIncoming(layout: Layout): SummaryRead {
  return readSummaries(taskQueue(layout), 'incoming', (text, file) => pick(parseTask(text, file, 'incoming')));
}

/** Under the lock: quarantine what cannot be read, then lease the best candidate that is still claimable. */
async function claimFirst(
  layout: Layout,
  read: SummaryRead,
  done: Blockers,
  options: ClaimOptions & { role: string },
  now: Date,
): Promise<ClaimResult | undefined> {
  const q = taskQueue(layout);
  for (const bad of read.unreadable) {
    const text = readTextSync(bad.file);
    if (text === undefined) continue;
    try {
      parseTask(text, bad.file, 'incoming');
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      await quarantineFile(q, bad.file, err.message);
    }
  }
  const ranked = read.summaries
    .filter((s) => s.role === options.role && claimability(s, done, now).claimable)
    .sort(compareClaimOrder);
  for (const candidate of ranked) {
    const text = readTextSync(candidate.file);
    if (text === undefined) continue; // claimed or moved meanwhile
    let task: Task;
    try {
      task = parseTask(text, candidate.file, 'incoming');
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      await quarantineFile(q, candidate.file, err.message);
      continue;
    }
    // The scan ranked it; the file as it is now has the last word.
    if (task.role !== options.role || !claimability(task, done, now).claimable) continue;
    try {
      return await lease(layout, task, options, now);
    } catch (err) {
      // A stray copy of a task already claimed or finished: set aside, try the next one.
      if (!(err instanceof DuplicateTaskError)) throw err;
    }
  }
  return undefined;
}

/** Claim one task by id (it must be incoming, unblocked and not backing off). */
export async function claimTask(
  layout: Layout,
  id: string,
  options: ClaimOptions & { role?: string },
): Promise<ClaimResult> {
  positiveSeconds(options.leaseSeconds, 'leaseSeconds');
  return withTaskLock(layout, async () => {
    const task = await loadTaskLocked(layout, id);
    expectState(task, ['incoming'], 'claimed');
    if (options.role !== undefined && task.role !== options.role)
      return { ok: false, reason: `${id} has role ${task.role}, not ${options.role}` };
    const limited = await checkBackpressure(layout, options.limits);
    if (limited) return { ok: false, reason: limited };
    const now = (options.clock ?? systemClock).now();
    const blockers = doneBlockers(taskQueue(layout));
    const c = claimability(task, blockers, now);
    if (!c.claimable) {
      return {
        ok: false,
        reason:
          'blockedBy' in c
            ? `${id} ${blockedText(c.blockedBy, blockers).replace(/^blocked/, 'is blocked')}`
            : `${id} is waiting until ${c.waitingUntil}`,
      };
    }
    return lease(layout, task, options, now);
  });
}

async function lease(layout: Layout, task: Task, options: ClaimOptions, now: Date): Promise<ClaimResult> {
  const granted = newLease(options.holder, options.leaseSeconds, now);
  task.lease = granted;
  task.not_before = undefined;
  const saved = await saveTask(layout, task, 'claimed');
  return { ok: true, task: saved, token: granted.token };
}
