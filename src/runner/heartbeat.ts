import { statSync } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { fileOf } from '../core/queueFolder.js';
import { taskQueue } from '../tasks/folders.js';
import { LeaseLostError } from '../tasks/lease.js';
import { renewLease } from '../tasks/renew.js';
import { checkFence } from '../tasks/withFence.js';

export interface Heartbeat {
  /** Stop renewing; resolves once an in-flight renewal has settled. */
  stop(): Promise<void>;
  /** Set once the lease was found lost: the runner must not deliver the task. */
  readonly lost: LeaseLostError | undefined;
}

export interface HeartbeatOptions {
  layout: Layout;
  taskId: string;
  token: string;
  leaseSeconds: number;
  clock: Clock;
  runner: ProcessIdentity;
  /** Called once when the lease is lost (reclaimed, cancelled). */
  onLost: (err: LeaseLostError) => void;
  /** Called when a renewal fails for another reason (it is retried next beat). */
  onError?: (err: unknown) => void;
  /** How often to look whether the task file changed under us (default 2 s). */
  watchMs?: number;
}

/** A cancel should stop the client within seconds, not at the next renewal minutes later. */
export const DEFAULT_WATCH_MS = 2_000;

/**
 * Renew the claim every third of the lease, so two missed beats still leave
 * the lease valid. The first beat is immediate: it records this runner's pid
 * and start time in the lease, which lets reconcile tell a dead runner at once.
 *
 * Between beats, a watch notices a cancel or a reclaim within `watchMs`: it
 * only stats `claimed/<id>.md` (every write to a queue file replaces it, so a
 * new inode, size or mtime means someone wrote or moved it) and takes the
 * lock for a fenced read only when the file changed or vanished.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  let lost: LeaseLostError | undefined;
  let renewing: Promise<void> = Promise.resolve();
  let watching: Promise<void> = Promise.resolve();
  let stopped = false;
  const claimedFile = fileOf(taskQueue(options.layout), 'claimed', options.taskId);
  let seen: string | undefined;

  const markLost = (err: LeaseLostError) => {
    if (lost) return;
    lost = err;
    clearInterval(timer);
    clearInterval(watchTimer);
    options.onLost(err);
  };
  const failed = (err: unknown) => {
    if (err instanceof LeaseLostError) markLost(err);
    else options.onError?.(err);
  };

  const beat = () => {
    if (stopped || lost) return;
    renewing = renewLease(options.layout, options.taskId, options.token, {
      leaseSeconds: options.leaseSeconds,
      clock: options.clock,
      runner: options.runner,
    }).then(() => undefined, failed);
  };

  let checking = false;
  const watch = () => {
    if (stopped || lost || checking) return;
    // Taken before the check: a write after it shows as a change next time.
    const now = signature(claimedFile);
    if (now !== undefined && now === seen) return;
    checking = true;
    watching = checkFence(options.layout, options.taskId, options.token)
      .then(() => {
        seen = now;
      }, failed)
      .finally(() => {
        checking = false;
      });
  };

  const timer = setInterval(beat, Math.max(1_000, (options.leaseSeconds * 1000) / 3));
  timer.unref();
  const watchTimer = setInterval(watch, Math.max(10, options.watchMs ?? DEFAULT_WATCH_MS));
  watchTimer.unref();
  beat();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(watchTimer);
      await renewing;
      await watching;
    },
    get lost() {
      return lost;
    },
  };
}

/** What identifies one version of a file without reading it; undefined when it is gone. */
function signature(file: string): string | undefined {
  try {
    const st = statSync(file, { throwIfNoEntry: false, bigint: true });
    return st ? `${st.ino}:${st.size}:${st.mtimeNs}` : undefined;
  } catch {
    return undefined; // unreadable: the fenced read says what it means
  }
}
