import { untilAborted } from './abort.js';
import { type FsTriggerOptions, watchFiles } from './fsTrigger.js';
import { SerialJob } from './serial.js';
import type { Timers } from './timers.js';

export interface RepeatOptions<R extends string> {
  /** Stop: no new run starts; the one in progress finishes; then `repeat` resolves. */
  signal: AbortSignal;
  timers: Timers;
  /**
   * One run. Returns how long to wait before the next run on the timer, and
   * what to report: the report comes after the timer is armed, so whoever
   * hears of a run can rely on the next one being scheduled.
   */
  run(reason: R | 'start' | 'interval'): Promise<{ nextInMs: number; report?: () => void }>;
  /** Files whose changes ask for a run (`reason` names it), debounced. */
  watch: Omit<FsTriggerOptions, 'onChange'> & { reason: R };
}

/**
 * Run at start, then after every change of the watched files and at the
 * interval each run asks for, never two runs at once (requests during a run
 * make one more run after it). Shared by `tickfleet watch` and `status
 * --watch`: they differ only in what a run does.
 */
export async function repeat<R extends string>(options: RepeatOptions<R>): Promise<void> {
  const { signal, timers } = options;
  if (signal.aborted) return;
  let timer: unknown;
  const disarm = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };
  const job = new SerialJob<R | 'start' | 'interval'>(async (reason) => {
    disarm();
    const done = await options.run(reason);
    if (!signal.aborted) timer = timers.setTimeout(() => job.request('interval'), Math.max(0, done.nextInMs));
    done.report?.();
  });
  const { reason, ...watch } = options.watch;
  const trigger = await watchFiles({ ...watch, onChange: () => job.request(reason) });
  try {
    job.request('start');
    await untilAborted(signal);
  } finally {
    job.stop();
    disarm();
    await trigger.close();
    await job.idle();
    // A run that ended after the abort may have armed the timer again.
    disarm();
  }
}
