import { isKnownError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { runTick, type TickOptions, type TickReport } from '../scheduler/tick.js';
import { writeDailyReport } from './dailyReport.js';
import { printError, printJson } from './output.js';
import { initialisedLayoutAt } from './project.js';
import type { TickArgv } from './tickArgv.js';
import { printTickReport } from './tickOutput.js';

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

/**
 * The whole of `tickfleet scheduler` when src/cli.ts recognised its
 * arguments (cli/tickArgv.ts): the same project, tick, output and exit codes
 * as the CLI's command (commands/scheduler.ts), without loading the CLI.
 */
export async function runTickProgram(args: TickArgv): Promise<number> {
  try {
    const layout = initialisedLayoutAt(args.project);
    const outcome = await runTickCommand(layout, { dryRun: args.dryRun, debug: args.debug });
    if ('failure' in outcome) {
      printError(outcome.failure.message, outcome.failure.details);
      return outcome.failure.exitCode;
    }
    if (args.json) printJson(outcome.report);
    else printTickReport(outcome.report);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (!isKnownError(err)) throw err;
    printError(err.message, err.details);
    return err.exitCode;
  }
}
