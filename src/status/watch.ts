import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { repeat } from '../watch/repeat.js';
import { systemTimers, type Timers } from '../watch/timers.js';
import { fleetStatus } from './collect.js';
import type { FleetStatus } from './fleetStatus.js';

export type RedrawReason = 'start' | 'change' | 'interval';

export interface StatusWatchOptions {
  /** Stop watching; watchStatus resolves once the redraw in progress is done. */
  signal: AbortSignal;
  /** Redraw at least this often (times in the output age). Default 10 s. */
  intervalMs?: number;
  /** Changes within this long of each other make one redraw. */
  debounceMs?: number;
  render(status: FleetStatus, reason: RedrawReason): void;
  /** A status that cannot be read (agents.yaml broken mid-edit): shown, and the watch goes on. */
  onError?(err: Error, reason: RedrawReason): void;
  clock?: Clock;
  timers?: Timers;
  /** Default fleetStatus(layout). */
  load?: () => Promise<FleetStatus>;
}

/**
 * `status --watch`: redraw when the queue, an agent's state, the messages,
 * the fleet pause or agents.yaml change, and on a timer. Only those files are
 * watched, never the worktrees or logs beside them.
 */
export async function watchStatus(layout: Layout, options: StatusWatchOptions): Promise<void> {
  const { signal } = options;
  if (signal.aborted) return;
  const timers = options.timers ?? systemTimers;
  const load = options.load ?? (() => fleetStatus(layout, options.clock ? { clock: options.clock } : {}));
  const top = new Set(['fleet.json', 'agents.yaml', 'setup.json'].map((n) => path.join(layout.dir, n)));
  await repeat<'change'>({
    signal,
    timers,
    run: async (reason) => {
      const nextInMs = options.intervalMs ?? 10_000;
      try {
        const status = await load();
        return { nextInMs, report: () => options.render(status, reason) };
      } catch (err) {
        return {
          nextInMs,
          report: () => options.onError?.(err instanceof Error ? err : new Error(String(err)), reason),
        };
      }
    },
    watch: {
      reason: 'change',
      targets: [
        { dir: layout.queue, depth: 1, accept: (f) => f.endsWith('.md') || f.endsWith('.reason') },
        { dir: layout.agents, depth: 1, accept: (f) => path.basename(f) === 'state.json' },
        { dir: layout.messages, depth: 0, accept: (f) => f.endsWith('.md') },
        { dir: layout.dir, depth: 0, accept: (f) => top.has(f) },
      ],
      debounceMs: options.debounceMs ?? 200,
      onError: (err) => options.onError?.(err, 'change'),
    },
  });
}
