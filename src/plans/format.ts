import { lifecycleLabel } from '../tasks/lifecycle.js';
import { type ImportReport, JOB_OUTCOMES } from './import.js';
import { JOB_STATES, type JobState, type PlanStatus, type TaskNode } from './status.js';

const label = (s: string) => s.replace(/_/g, ' ');

/** The text of `plan import`: one line per job that is new or changed, then the counts. */
export function formatImport(report: ImportReport): string[] {
  const lines: string[] = [];
  for (const j of report.jobs) {
    if (j.outcome === 'unchanged') continue;
    const task = j.task ? ` ${j.task}` : '';
    lines.push(`  ${label(j.outcome).padEnd(12)} ${j.id}${task}${j.note ? `: ${j.note}` : ''}`);
  }
  for (const r of report.removed)
    lines.push(
      `  ${'removed'.padEnd(12)} ${report.plan}::${r.job}${r.task ? ` ${r.task}` : ''}: no longer in the plan; its task is left as it is`,
    );
  const counts = JOB_OUTCOMES.filter((o) => report.counts[o] > 0).map((o) => `${label(o)} ${report.counts[o]}`);
  const head = `plan ${report.plan} (${report.file}): ${counts.join(' · ')}${report.removed.length > 0 ? ` · removed ${report.removed.length}` : ''}`;
  const nothing = report.counts.added === 0 ? ['  nothing new to queue'] : [];
  return [head, ...lines, ...nothing];
}

/** The text of `plan status`: the counts, then each job with its task, state, blockers and split children. */
export function formatPlanStatus(status: PlanStatus): string[] {
  const counts = JOB_STATES.filter((s) => (status.counts[s] ?? 0) > 0)
    .map((s) => `${stateLabel(s)} ${status.counts[s]}`)
    .join(' · ');
  const lines = [`plan ${status.plan} "${status.name}" (${status.file}, imported ${status.imported_at}): ${counts}`];
  const width = Math.max(...status.jobs.map((j) => j.job.length));
  for (const j of status.jobs) {
    const what = j.role ?? j.kind;
    const blocked =
      j.blocked_by.length > 0
        ? ` · waits for ${j.blocked_by.map((b) => `${b.job ?? b.task} (${stateLabel(b.lifecycle)})`).join(', ')}`
        : '';
    lines.push(
      `  ${j.job.padEnd(width)}  lane ${j.lane}  ${what.padEnd(9)} ${(j.task ?? '-').padEnd(13)} ${stateLabel(j.lifecycle)}${blocked}`,
    );
    lines.push(...tree(j.children, '    '));
  }
  return lines;
}

function tree(nodes: readonly TaskNode[], indent: string): string[] {
  return nodes.flatMap((n) => [
    `${indent}└ ${n.task} ${lifecycleLabel(n.lifecycle)}: ${n.title}`,
    ...tree(n.children, `${indent}  `),
  ]);
}

function stateLabel(state: JobState): string {
  return label(state);
}
