import { isKnownError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { runTick, type TickOptions, type TickReport } from '../scheduler/tick.js';
import { writeDailyReport } from './dailyReport.js';

/** A known error of the tick as plain data, for the CLI to raise as its own. */
export interface TickFailure {
  message: string;
  details: readonly string[];
  exitCode: number;
}

export type TickCommandOutcome = { report: TickReport } | { failure: TickFailure };

/**
 * What `tickfleet scheduler` runs: one tick with the daily report. The
 * bundle makes this module a program file of its own (scripts/bundle.mjs),
 * so that cron's every-minute tick loads one file instead of some seventy
 * shared chunks; its error classes are then copies of the CLI's, which is why
 * a known error crosses back as data instead of as itself.
 */
export async function runTickCommand(
  layout: Layout,
  options: Pick<TickOptions, 'dryRun' | 'debug'>,
): Promise<TickCommandOutcome> {
  try {
    return { report: await runTick(layout, { ...options, dailyReport: writeDailyReport }) };
  } catch (err) {
    if (!isKnownError(err)) throw err;
    return { failure: { message: err.message, details: err.details, exitCode: err.exitCode } };
  }
}
