import path from 'node:path';
import { withDirSyncsAfter, withSpareTmp } from '../core/atomicFileSync.js';
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
import { claimability, inLanes, noClaimableReason } from './order.js';
import { correctEntry, sameSummary } from './queueIndex/correct.js';
import type { IndexModel } from './queueIndex/model.js';
import { openIndexLocked } from './queueIndex/open.js';
import { bestCandidate, indexBlockers, summariesOf } from './queueIndex/view.js';
import { pick } from './scan.js';
import { expectState, loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export type { ClaimLimits } from './backpressure.js';

export interface ClaimOptions {
  /** Who claims (agent name); written into the lease. */
  holder: string;
  leaseSeconds: number;
  clock?: Clock;
  limits?: ClaimLimits;
  /** The agent's lanes: it claims only tasks whose `lane` is one of them. None: any task of its role. */
  lanes?: readonly string[];
}

export type ClaimResult = { ok: true; task: Task; token: string } | { ok: false; reason: string };

/** How often a claim compares every incoming file's key with the index: the net under edits made in place. */
export const AUDIT_EVERY_MS = 1_000;

/**
 * Claim the first claimable incoming task of `role` (and of the agent's
 * lanes). Everything happens under the queue lock, so any number of
 * processes claim each task exactly once.
 *
 * The claim order comes from the queue index (queueIndex/), checked against
 * the folders first: a folder changed by anything but tickfleet's own moves
 * is listed and folded in before the choice. The chosen file is then read in
 * full and has the last word: a file that differs from its index entry (an
 * edit in place) is folded in and the order taken again; one that cannot be
 * read is quarantined.
 */
export async function claimNext(layout: Layout, options: ClaimOptions & { role: string }): Promise<ClaimResult> {
  positiveSeconds(options.leaseSeconds, 'leaseSeconds');
  const clock = options.clock ?? systemClock;
  return leaseLocked(layout, async () => {
    const limited = await checkBackpressure(layout, options.limits);
    if (limited) return { ok: false, reason: limited };
    const now = clock.now();
    const open = () =>
      openIndexLocked(layout, {
        states: ['incoming', 'done'],
        audit: { everyMs: AUDIT_EVERY_MS },
      });
    let index = await open();
    if (await quarantineUnreadable(layout, index)) index = await open();
    const done = indexBlockers(index);
    const skip = new Set<string>();
    for (;;) {
      const best = bestCandidate(index, options.role, options.lanes, done, now, skip);
      if (!best)
        return {
          ok: false,
          reason: noClaimableReason(options.role, summariesOf(index, 'incoming'), done, now, options.lanes),
        };
      const result = await tryCandidate(layout, index, best.name, options, done, now);
      if (result === 'gone') {
        // Gone without a change the index saw: list the folder before choosing again.
        index.folders.incoming.dirty = true;
        index = await open();
        skip.add(best.name);
      } else if (result === 'skip') skip.add(best.name);
      else if (result !== 'corrected') return result;
    }
  });
}

/**
 * Read the chosen file in full and lease it when it is still claimable.
 * 'gone' or 'corrected' (its entry now says what the file says) when the file
 * is not what the index said, 'skip' when this agent may not claim it.
 */
async function tryCandidate(
  layout: Layout,
  index: IndexModel,
  name: string,
  options: ClaimOptions & { role: string },
  done: Blockers,
  now: Date,
): Promise<ClaimResult | 'gone' | 'corrected' | 'skip'> {
  const q = taskQueue(layout);
  const file = path.join(q.dir('incoming'), name);
  const text = readTextSync(file);
  if (text === undefined) return 'gone';
  let task: Task;
  try {
    task = parseTask(text, file, 'incoming');
  } catch (err) {
    if (!(err instanceof QueueFileError)) throw err;
    await quarantineFile(q, file, err.message);
    return 'skip';
  }
  const read = pick(task);
  if (!sameSummary(read, index.folders.incoming.files.get(name)?.s)) {
    correctEntry(layout, index, 'incoming', name, read);
    return 'corrected';
  }
  if (task.role !== options.role || !inLanes(task, options.lanes) || !claimability(task, done, now).claimable)
    return 'skip';
  try {
    return await lease(layout, task, options, now);
  } catch (err) {
    // A stray copy of a task already claimed or finished: set aside, try the next one.
    if (!(err instanceof DuplicateTaskError)) throw err;
    return 'skip';
  }
}

/** Quarantine the incoming files the index could not read (read again first: someone may have fixed them). */
async function quarantineUnreadable(layout: Layout, index: IndexModel): Promise<boolean> {
  const q = taskQueue(layout);
  let moved = false;
  // Counted as entries change (model.ts setEntry): a claim goes over the folder only when one is unreadable.
  if (index.folders.incoming.bad === 0) return false;
  for (const [name, e] of [...index.folders.incoming.files]) {
    if (!e.bad) continue;
    const file = path.join(q.dir('incoming'), name);
    const text = readTextSync(file);
    if (text === undefined) continue;
    try {
      parseTask(text, file, 'incoming');
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      await quarantineFile(q, file, err.message);
      moved = true;
    }
  }
  return moved;
}

/** Claim one task by id (it must be incoming, unblocked and not backing off). */
export async function claimTask(
  layout: Layout,
  id: string,
  options: ClaimOptions & { role?: string },
): Promise<ClaimResult> {
  positiveSeconds(options.leaseSeconds, 'leaseSeconds');
  return leaseLocked(layout, async () => {
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

/**
 * Under the queue lock, with the temp file for the leased task's rewrite made
 * before it and the folder fsyncs run after it (atomicFileSync.ts): neither
 * is paid while every other claimer waits.
 */
function leaseLocked<T>(layout: Layout, fn: () => Promise<T>): Promise<T> {
  return withSpareTmp(taskQueue(layout).tmpDir, 1, () => withDirSyncsAfter(() => withTaskLock(layout, fn)));
}

async function lease(layout: Layout, task: Task, options: ClaimOptions, now: Date): Promise<ClaimResult> {
  const granted = newLease(options.holder, options.leaseSeconds, now);
  task.lease = granted;
  task.not_before = undefined;
  const saved = await saveTask(layout, task, 'claimed');
  return { ok: true, task: saved, token: granted.token };
}
