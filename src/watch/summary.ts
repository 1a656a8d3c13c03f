import type { TickReport } from '../scheduler/tick.js';

/** A tick in one line, for `tickfleet watch` and logs/tick.log. */
export function tickSummary(report: TickReport): string {
  if (!report.ran) return `skipped: ${report.reason}`;
  const waiting = report.plan.decisions.filter((d) => d.action === 'skip').length;
  const parts = [
    `${report.started.length} started${report.started.length ? ` (${report.started.map((s) => `${s.agent}${s.taskId ? ` on ${s.taskId}` : ''}`).join(', ')})` : ''}`,
  ];
  if (report.notStarted.length > 0)
    parts.push(
      `${report.notStarted.length} not started (${report.notStarted.map((n) => `${n.agent}: ${n.reason}`).join('; ')})`,
    );
  parts.push(`${waiting} waiting`);
  return `${parts.join(', ')} in ${report.durationMs} ms`;
}
