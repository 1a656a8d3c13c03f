import { acquireLock, type HeldLock, LockBusyError } from '../core/lock.js';
import type { Layout } from '../core/paths.js';

/**
 * Ticks never overlap: a tick that finds the lock held gives up at once (cron
 * starts another a minute later). The lock is refreshed while held and goes
 * stale 30 s after its holder dies, so a tick killed mid-way blocks at most
 * one or two later ticks.
 */
export const TICK_LOCK_STALE_MS = 30_000;

export async function tryTickLock(layout: Layout): Promise<HeldLock | undefined> {
  try {
    // acquireLock adds `.lock`: the lock is the `scheduler.lock` the README's troubleshooting names.
    return await acquireLock(layout.schedulerLock.replace(/\.lock$/, ''), { waitMs: 0, staleMs: TICK_LOCK_STALE_MS });
  } catch (err) {
    if (err instanceof LockBusyError) return undefined;
    throw err;
  }
}
