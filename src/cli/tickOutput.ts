import type { TickReport } from '../scheduler/tick.js';
import { dim, green, print, table, yellow } from './output.js';

/** The text output of `tickfleet scheduler`, for the CLI's command and the tick's own entry alike. */
export function printTickReport(report: TickReport): void {
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
