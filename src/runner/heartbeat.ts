import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { LeaseLostError, renewLease } from '../tasks/index.js';

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
}

/**
 * Renew the claim every third of the lease, so two missed beats still leave
 * the lease valid. The first beat is immediate: it records this runner's pid
 * and start time in the lease, which lets reconcile tell a dead runner at once.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  let lost: LeaseLostError | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;

  const beat = () => {
    if (stopped || lost) return;
    inFlight = renewLease(options.layout, options.taskId, options.token, {
      leaseSeconds: options.leaseSeconds,
      clock: options.clock,
      runner: options.runner,
    }).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof LeaseLostError) {
          lost = err;
          clearInterval(timer);
          options.onLost(err);
        } else {
          options.onError?.(err);
        }
      },
    );
  };

  const timer = setInterval(beat, Math.max(1_000, (options.leaseSeconds * 1000) / 3));
  timer.unref();
  beat();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
    get lost() {
      return lost;
    },
  };
}
