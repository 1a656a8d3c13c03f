import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readAgentState } from '../agents/state.js';
import { ignoreMissing, isExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';

export interface LastTick {
  at: Date;
  /** What told, relative to the project root. */
  source: string;
  /** True when only an agent start told: ticks that started nothing leave no trace there. */
  fromRuns: boolean;
}

/** A tick runs every minute: this long without one means nothing ticks the fleet. */
export const TICK_SILENCE_MS = 10 * 60_000;

/**
 * When a tick last ran:
 *
 * 1. the newest time of a file every tick writes: `logs/tick.log` (cron,
 *    launchd and systemd append the tick's output there, `tickfleet watch`
 *    its summary), `logs/scheduler-*.log` (--debug), the metrics textfile;
 * 2. failing those, the newest `last_started_at` in the agents' state, which
 *    the tick writes when it starts an agent (ticks that start nothing leave
 *    no trace there, so this is the last sign of a tick, not the last tick).
 */
export async function lastTickAt(layout: Layout, metricsTextfile?: string): Promise<LastTick | undefined> {
  const everyTick = [
    path.join(layout.logs, 'tick.log'),
    ...(await matching(layout.logs, (n) => /^scheduler-.*\.log$/.test(n))),
  ];
  if (metricsTextfile) everyTick.push(path.resolve(layout.root, metricsTextfile));
  let best: { file: string; at: Date } | undefined;
  for (const file of everyTick) {
    const stat = await fs.stat(file).catch(ignoreMissing);
    if (stat && (!best || stat.mtimeMs > best.at.getTime())) best = { file, at: stat.mtime };
  }
  if (best) return { at: best.at, source: path.relative(layout.root, best.file), fromRuns: false };

  let start: { agent: string; at: Date } | undefined;
  for (const dir of await matching(layout.agents, (n) => !n.endsWith('.lock') && !n.endsWith('.json'))) {
    const agent = path.basename(dir);
    // A state.json that is not JSON (an ExitError) says nothing about a start; the other agents' still count.
    const state = await readAgentState(layout, agent).catch((err: unknown) => {
      if (!isExitError(err)) throw err;
      return undefined;
    });
    const at = state?.last_started_at;
    const time = at ? new Date(at) : undefined;
    if (time && !Number.isNaN(time.getTime()) && (!start || time > start.at)) start = { agent, at: time };
  }
  return start
    ? {
        at: start.at,
        source: `${start.agent}'s last start (.orchestrator/agents/${start.agent}/state.json)`,
        fromRuns: true,
      }
    : undefined;
}

async function matching(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const names = (await fs.readdir(dir).catch(ignoreMissing)) ?? [];
  return names.filter(keep).map((n) => path.join(dir, n));
}
