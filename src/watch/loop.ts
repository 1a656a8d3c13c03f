import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { isExitError } from '../core/errors.js';
import { type Layout, taskDir } from '../core/paths.js';
import { runTick, type TickReport } from '../scheduler/tick.js';
import { tickLogFile } from '../setup/tickSpec.js';
import { repeat } from './repeat.js';
import { tickSummary } from './summary.js';
import { systemTimers, type Timers } from './timers.js';

export type TickReason = 'start' | 'interval' | 'incoming';

export interface WatchTickEvent {
  reason: TickReason;
  /** When the tick started (ISO, UTC). */
  at: string;
  /** The one-line summary, also appended to logs/tick.log. */
  line: string;
  report?: TickReport;
  error?: Error;
}

export interface WatchOptions {
  /** Stop: no new tick starts; the one in progress finishes; then watchFleet resolves. */
  signal: AbortSignal;
  /** A tick at least this often. Default one minute, like cron. */
  intervalMs?: number;
  /** Tasks landing in incoming/ within this long of each other make one tick. */
  debounceMs?: number;
  /** One tick; default runTick (whose lock also keeps cron's ticks out). */
  tick?: () => Promise<TickReport>;
  clock?: Clock;
  timers?: Timers;
  onTick?: (event: WatchTickEvent) => void;
  /** The file watch failed (the interval still ticks). */
  onWatchError?: (err: Error) => void;
  /** Where each summary line is appended; false for nowhere. Default logs/tick.log, so doctor and status see the ticks. */
  logFile?: string | false;
}

/**
 * A long-running alternative to cron: a tick on start, every interval, and
 * right after a task lands in incoming/. Ticks never overlap: here a request
 * during a tick waits for it (and many make one), and runTick's lock keeps
 * out ticks from elsewhere. Runners are detached, so stopping leaves runs
 * going.
 */
export async function watchFleet(layout: Layout, options: WatchOptions): Promise<void> {
  const { signal } = options;
  if (signal.aborted) return;
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const intervalMs = options.intervalMs ?? 60_000;
  const tick = options.tick ?? (() => runTick(layout));
  const logFile = options.logFile === undefined ? tickLogFile(layout) : options.logFile;
  const incoming = taskDir(layout, 'incoming');
  await repeat<'incoming'>({
    signal,
    timers,
    run: async (reason) => {
      const started = clock.now();
      const event: WatchTickEvent = { reason, at: isoSeconds(started), line: '' };
      try {
        event.report = await tick();
        event.line = tickSummary(event.report);
      } catch (err) {
        // A bad agents.yaml must not end the loop: say so on every tick until it is fixed.
        event.error = err instanceof Error ? err : new Error(String(err));
        const details = isExitError(err) && err.details.length > 0 ? ` (${err.details.join('; ')})` : '';
        event.line = `tick failed: ${event.error.message}${details}`;
      }
      event.line = `${event.at} tick (${reason}): ${event.line}`;
      if (logFile) await appendLine(logFile, event.line);
      // The interval runs from one tick's start to the next.
      return {
        nextInMs: intervalMs - (clock.now().getTime() - started.getTime()),
        report: () => options.onTick?.(event),
      };
    },
    watch: {
      reason: 'incoming',
      // A task arriving (or rewritten, say unblocked) is news; one leaving, usually this loop's own claim, is not.
      targets: [
        {
          dir: incoming,
          depth: 0,
          accept: (file, event) => event !== 'unlink' && file.endsWith('.md') && !path.basename(file).startsWith('.'),
        },
      ],
      debounceMs: options.debounceMs ?? 500,
      ...(options.onWatchError ? { onError: options.onWatchError } : {}),
    },
  });
}

async function appendLine(file: string, line: string): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.appendFile(file, `${line}\n`);
  } catch {
    // The log is for doctor and people; a full disk must not stop the ticks.
  }
}
