import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ExitError } from './errors.js';
import { holderAwareFs, takenOver } from './lockHolder.js';
import type { ProcessIdentity } from './processInfo.js';

/**
 * Cross-process mutual exclusion on top of proper-lockfile (lock = a
 * directory `<file>.lock`, refreshed while held, considered stale after
 * `staleMs` without a refresh, so a holder killed with SIGKILL does not block
 * the fleet for ever). The directory also names its holder (lockHolder.ts):
 * a waiter that finds the holder dead takes the lock at once, so a process
 * killed inside the lock stalls the others for milliseconds, not `staleMs`.
 *
 * proper-lockfile's default onCompromised throws an uncaught exception; we
 * record the compromise instead and let the holder check it before acting.
 */
export interface LockOptions {
  /** How long to keep trying before giving up. 0 = one try. */
  waitMs?: number;
  /** A lock not refreshed for this long is stale. proper-lockfile's floor is 2000. */
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

export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const waitMs = options.waitMs ?? 10_000;
  const staleMs = Math.max(options.staleMs ?? DEFAULT_LOCK_STALE_MS, 2_000);
  let compromised = false;
  const retries =
    waitMs <= 0 ? 0 : { retries: Math.ceil(waitMs / 25), minTimeout: 5, maxTimeout: 50, factor: 1.2, randomize: true };
  let release: () => Promise<void>;
  const lockDir = `${path.resolve(target)}.lock`;
  takenOver.delete(lockDir);
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      fs: holderAwareFs,
      stale: staleMs,
      update: Math.max(1_000, Math.floor(staleMs / 2)),
      retries,
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw new LockBusyError(target);
    throw err;
  }
  const from = takenOver.get(lockDir);
  takenOver.delete(lockDir);
  return {
    ...(from ? { takenOverFrom: from } : {}),
    get compromised() {
      return compromised;
    },
    async release() {
      try {
        await release();
      } catch (err) {
        // Released already because it was compromised: nothing left to undo.
        if (!compromised) throw err;
      }
    },
  };
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
