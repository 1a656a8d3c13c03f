import { existsSync, renameSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from './errors.js';
import { heldLock } from './heldLock.js';
import { DEFAULT_LOCK_STALE_MS, type HeldLock, LockBusyError, type LockOptions } from './lock.js';
import { holderIdentity, removeIfAbandoned } from './lockHolder.js';
import { waitForEntry } from './lockWake.js';
import { isProcessAlive, type ProcessIdentity } from './processInfo.js';
import { freeHeld, heldName, inspectTokenDir, makeTokenDir, refreshedAt, TOKEN } from './tokenLockDir.js';

/**
 * The lock of a queue (queueMoves.ts), taken at every claim and transition:
 * a folder `<target>.lock` that stays, with one file in it that is the lock.
 * Free, the file is named `token`; a process holds the lock once it has
 * renamed it to its own `held-…` name (tokenLockDir.ts), and releases it by
 * renaming it back. Exactly one rename of `token` can succeed.
 *
 * Why not the mkdir lock (lock.ts) every other lock uses: a hold of that one
 * makes and removes a folder and a holder file, two inodes allocated and
 * freed, and that is what a busy queue's hand-off spent its time on (ext4
 * allocates a folder's inode by scanning the block groups). A rename
 * allocates nothing. The rest keeps the mkdir lock's rules: a dead holder
 * (by pid and start time) is taken over at once, one not refreshed for
 * `staleMs` is taken over, and a waiter is woken when `token` comes back.
 *
 * A folder in the older format (an older tickfleet still running, or left
 * by one) is waited for and taken over by the older rules, then replaced. An
 * older process that meets this folder sees a lock that is always held and
 * never takes it: it gives up after its wait, it never takes it twice.
 */

/** How often a waiter lists the folder for a dead or stale holder. */
const CHECK_EVERY_MS = 25;
/** A waiter's sleep between tries: only the net under a missed wake-up. */
const POLL_MS = 25;

export async function acquireTokenLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const lockDir = `${path.resolve(target)}.lock`;
  const token = path.join(lockDir, TOKEN);
  const waitMs = Math.max(0, options.waitMs ?? 10_000);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_LOCK_STALE_MS, 2_000);
  const mine = path.join(lockDir, heldName(await holderIdentity()));
  const deadline = Date.now() + waitMs;
  let nextCheck = 0;
  let from: ProcessIdentity | undefined;
  // A hold this waiter has seen, and since when: it is stale only once this waiter has watched it for staleMs.
  let seen: { name: string; since: number } | undefined;
  for (;;) {
    // Looked at before the rename: a rename that fails still takes the folder's inode lock.
    if (existsSync(token)) {
      if (take(token, mine)) return holdOf(lockDir, mine, staleMs, from);
      // Another waiter took it: the lock moves, so no holder is dead or stale.
      nextCheck = Date.now() + CHECK_EVERY_MS;
    }
    if (Date.now() >= nextCheck) {
      const state = inspectTokenDir(lockDir);
      if (state.kind === 'missing') {
        makeTokenDir(lockDir);
        continue;
      }
      if (state.kind === 'legacy') {
        const cleared = await removeIfAbandoned(lockDir, staleMs);
        if (cleared) {
          from = cleared.from;
          continue;
        }
      } else if (state.kind === 'held') {
        // A hold other than the one seen last time is progress: its holder took it since. The first one is judged at once.
        const judge = seen === undefined || seen.name === state.name;
        if (seen?.name !== state.name) seen = { name: state.name, since: Date.now() };
        if (judge) {
          const dead = !(await isProcessAlive(state.holder));
          const stale = Date.now() - seen.since >= staleMs && notRefreshed(lockDir, state.name, staleMs);
          if ((dead || stale) && freeHeld(lockDir, state.name)) {
            if (dead) from = state.holder;
            continue;
          }
        }
      }
      nextCheck = Date.now() + CHECK_EVERY_MS;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new LockBusyError(target);
    await waitForEntry(lockDir, TOKEN, Math.min(left, POLL_MS, Math.max(1, nextCheck - Date.now() + 1)));
  }
}

function take(token: string, mine: string): boolean {
  try {
    renameSync(token, mine);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false; // another process took it first
    throw err;
  }
}

/** The hold's file was not refreshed (utimes, every half stale time) for staleMs; a file gone is released, not stale. */
function notRefreshed(lockDir: string, name: string, staleMs: number): boolean {
  const st = statSync(path.join(lockDir, name), { throwIfNoEntry: false });
  return st !== undefined && refreshedAt(st) < Date.now() - staleMs;
}

/** A token lock's hold: its file's mtime refreshed while the file is there, renamed back to `token` to let go. */
function holdOf(lockDir: string, mine: string, staleMs: number, from?: ProcessIdentity): HeldLock {
  const token = path.join(lockDir, TOKEN);
  return heldLock({ keep: () => touch(mine), letGo: () => giveBack(mine, token) }, staleMs, from);
}

/** Refresh the hold's mtime; false when its file is gone. */
function touch(file: string): boolean {
  try {
    const now = new Date();
    utimesSync(file, now, now);
    return true;
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    return false;
  }
}

/** Rename the hold back to `token`; gone means it was taken over, and nothing of ours is left. */
function giveBack(mine: string, token: string): void {
  try {
    renameSync(mine, token);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}

/** Run `fn` while holding the token lock on `target`. */
export async function withTokenLock<T>(target: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireTokenLock(target, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
