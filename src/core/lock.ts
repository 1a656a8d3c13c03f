import { existsSync, utimesSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ExitError } from './errors.js';
import { heldLock } from './heldLock.js';
import { holderIdentity, removeIfAbandoned, removeLockDir, stillHeld, takeLockDir } from './lockHolder.js';
import { waitForRemoval } from './lockWake.js';
import type { ProcessIdentity } from './processInfo.js';

/**
 * Cross-process mutual exclusion: the lock is a directory `<file>.lock`
 * (mkdir is atomic), the format proper-lockfile uses, so a lock taken by
 * either is respected by the other. The directory names its holder
 * (lockHolder.ts) and is refreshed while held; one not refreshed for
 * `staleMs` is taken over, so a holder killed with SIGKILL does not block the
 * fleet for ever, and a waiter that finds the holder dead takes it at once:
 * a process killed inside the lock stalls the others for milliseconds.
 *
 * The hand-off is what a busy queue pays for on every claim, so it is kept
 * short: taking and releasing are a few synchronous system calls (mkdir and
 * the holder file; unlink and rmdir), and a waiter is woken when the
 * directory is removed (lockWake.ts) instead of sleeping through a backoff.
 * Liveness of the holder is looked at on the first busy try and then every
 * CHECK_EVERY_MS, not at every wake-up.
 */
export interface LockOptions {
  /** How long to keep trying before giving up. 0 = one try. */
  waitMs?: number;
  /** A lock not refreshed for this long is stale. Floor 2000, as proper-lockfile's. */
  staleMs?: number;
}

export interface HeldLock {
  /** True when another process took the lock over (we were stale). */
  readonly compromised: boolean;
  /** The dead process this lock was taken from, when its holder had been killed inside it. */
  readonly takenOverFrom?: ProcessIdentity;
  release(): Promise<void>;
}

/**
 * An ExitError: the person can wait for the other tickfleet process or
 * stop it, and the message names the lock it holds.
 */
export class LockBusyError extends ExitError {
  constructor(target: string) {
    super(`${target} is locked by another tickfleet process`);
    this.name = 'LockBusyError';
  }
}

/** A lock not refreshed for this long is taken over (unless its taker says otherwise). */
export const DEFAULT_LOCK_STALE_MS = 10_000;

/** How often a waiter looks for a dead or stale holder. */
const CHECK_EVERY_MS = 25;
/** A waiter's sleep between tries when a watch wakes it on release: only the net under a missed event. */
const WATCHED_POLL_MS = 25;
/** Without a watch: short at first (most holds are a few ms), doubling to this. */
const MAX_POLL_MS = 16;

export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const lockDir = `${path.resolve(target)}.lock`;
  // Before the lock is taken, so not part of the hand-off; asynchronous, as a caller's event loop may have work.
  await mkdir(path.dirname(lockDir), { recursive: true });
  const waitMs = Math.max(0, options.waitMs ?? 10_000);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_LOCK_STALE_MS, 2_000);
  const id = await holderIdentity();
  const deadline = Date.now() + waitMs;
  let nextCheck = 0;
  let poll = 1;
  let from: ProcessIdentity | undefined;
  for (;;) {
    // Looked at before the mkdir: a mkdir that fails still takes the folder's inode lock, which the
    // holder's release and its successor's mkdir then queue behind; a stat takes none.
    const holder = existsSync(lockDir) ? undefined : takeLockDir(lockDir, id);
    if (holder) return folderHold(lockDir, holder, staleMs, from);
    if (Date.now() >= nextCheck) {
      const freed = await removeIfAbandoned(lockDir, staleMs);
      if (freed) {
        from = freed.from;
        continue; // compete for it again at once
      }
      nextCheck = Date.now() + CHECK_EVERY_MS;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new LockBusyError(target);
    const watched = await waitForRemoval(lockDir, Math.min(left, poll, nextCheck - Date.now() + 1));
    poll = watched ? WATCHED_POLL_MS : Math.min(poll * 2, MAX_POLL_MS);
  }
}

/** A mkdir lock's hold: the folder's mtime kept fresh while its holder file is there. */
function folderHold(lockDir: string, holder: string, staleMs: number, from?: ProcessIdentity): HeldLock {
  const keep = (): boolean => {
    if (!stillHeld(lockDir, holder)) return false;
    try {
      const now = new Date();
      utimesSync(lockDir, now, now);
    } catch {
      // Removed in between: the next refresh finds the holder file gone.
    }
    return true;
  };
  return heldLock({ keep, letGo: () => removeLockDir(lockDir, holder) }, staleMs, from);
}

/** Run `fn` while holding the lock on `target`. */
export async function withLock<T>(target: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(target, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
