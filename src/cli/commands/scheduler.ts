import type { Command } from 'commander';
import { ExitError } from '../../core/errors.js';
import type { TickReport } from '../../scheduler/tick.js';
import { dim, green, print, printJson, table, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

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
      printReport(report);
    });
}

function printReport(report: TickReport): void {
  if (!report.ran) {
    print(dim(report.reason));
    return;
  }
  // Every warning on every tick would bury the log; the dry run and `config check` list them.
  if (report.dryRun) for (const w of report.warnings) print(yellow(`warning: agents.yaml ${w}`));
  else if (report.warnings.length > 0)
    print(
      yellow(
        `agents.yaml has ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}: see tickfleet config check`,
      ),
    );
  const rows = report.plan.decisions.map((d) => {
    if (d.action === 'skip') return [d.agent, dim('waits'), d.reason];
    if (report.dryRun) return [d.agent, green('would start'), d.reason];
    const run = report.started.find((s) => s.agent === d.agent);
    const failed = report.notStarted.find((s) => s.agent === d.agent);
    if (run)
      return [d.agent, green('started'), `run ${run.runId}${run.taskId ? ` on ${run.taskId}` : ''} (pid ${run.pid})`];
    return [d.agent, yellow('not started'), failed?.reason ?? d.reason];
  });
  const head = report.dryRun
    ? `plan at ${report.plan.now} (dry run: nothing changed)`
    : `tick at ${report.plan.now}: ${report.started.length} started in ${report.durationMs} ms`;
  print(head);
  if (rows.length === 0) print(dim('  no agents in agents.yaml'));
  else print(table(rows, '  '));
}
