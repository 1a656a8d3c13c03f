import type { Command } from 'commander';
import { ExitError } from '../../core/errors.js';
import { printJson } from '../output.js';
import { initialisedLayout } from '../project.js';
import { printTickReport } from '../tickOutput.js';

interface SchedulerOpts {
  dryRun?: boolean;
  debug?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('scheduler')
    .alias('tick')
    .description('run one tick: repair, plan, start the agents that are due, then exit (what cron runs every minute)')
    .option('--dry-run', 'print the plan and why each agent would not start; change nothing')
    .option('--debug', 'write logs/scheduler-YYYY-MM-DD.log and per-agent logs')
    .option('--json', 'machine-readable output')
    .action(async (opts: SchedulerOpts, cmd: Command) => {
      const layout = initialisedLayout(cmd);
      const { runTickCommand } = await import('../tickCommand.js');
      const outcome = await runTickCommand(layout, { dryRun: opts.dryRun === true, debug: opts.debug === true });
      if ('failure' in outcome) throw new ExitError(outcome.failure.message, outcome.failure);
      const { report } = outcome;
      if (opts.json) return printJson(report);
      printTickReport(report);
    });
}
