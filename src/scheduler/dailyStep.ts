import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { type Clock, isoSeconds, localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { TickLog } from './log.js';

/**
 * Writes the daily report (the morning report as a message). It is built by a
 * layer above the scheduler, so the command that runs the tick hands it in.
 */
export type DailyReportWriter = (layout: Layout, config: Config, clock: Clock) => Promise<unknown>;

/** The report is for the morning: the first tick at or after this local hour writes it. */
export const DAILY_REPORT_HOUR = 6;

interface DailyState {
  /** The local day whose report was written. */
  report_day: string;
  report_at: string;
}

export function dailyStateFile(layout: Layout): string {
  return path.join(layout.dir, 'daily.json');
}

/**
 * Once per local day, from DAILY_REPORT_HOUR on: write the daily report and
 * remember the day in `.orchestrator/daily.json`. The day is recorded before
 * the report is written, so a report that fails is tried once a day, not
 * every tick; the failure is in the tick's log. Never throws.
 */
export async function dailyStep(
  layout: Layout,
  config: Config,
  writer: DailyReportWriter,
  options: { clock: Clock; log: TickLog },
): Promise<boolean> {
  const now = options.clock.now();
  if (now.getHours() < DAILY_REPORT_HOUR) return false;
  const day = localDay(now);
  const file = dailyStateFile(layout);
  try {
    const state = await readJsonIfExists<DailyState>(file);
    if (state?.report_day === day) return false;
    await writeJsonAtomic(file, { report_day: day, report_at: isoSeconds(now) } satisfies DailyState);
    await writer(layout, config, options.clock);
    options.log.info(`daily report for ${day} written to the messages`);
    return true;
  } catch (err) {
    // The report must never stop the fleet; the log says what went wrong.
    options.log.info(`daily report for ${day} not written: ${(err as Error).message}`);
    return false;
  }
}
