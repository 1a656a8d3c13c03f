import { type Lifecycle, lifecycleLabel } from '../tasks/lifecycle.js';
import type { MorningReport, Rate, RoleAcceptance } from './report.js';

const LISTED = 10;

/** The report as markdown: what `tickfleet report` prints and the daily message's body. */
export function formatReport(r: MorningReport): string {
  const out: string[] = [];
  out.push(
    `Fleet report ${r.since.slice(0, 16).replace('T', ' ')} → ${r.until.slice(0, 16).replace('T', ' ')} UTC (${r.hours} h)`,
  );
  out.push('', '## Tasks', '');
  out.push(
    `- merged: ${r.tasks.merged.length} · failed: ${r.tasks.failed.length} · waiting: ${waitingLine(r.tasks.waiting)}`,
  );
  for (const t of r.tasks.merged.slice(0, LISTED)) out.push(`  - merged ${t.id} (${t.role}) ${t.title}`);
  if (r.tasks.merged.length > LISTED) out.push(`  - … ${r.tasks.merged.length - LISTED} more merged`);
  for (const t of r.tasks.failed.slice(0, LISTED))
    out.push(`  - failed ${t.id} (${t.role}) ${t.title}${t.error ? `: ${oneLine(t.error)}` : ''}`);
  if (r.tasks.failed.length > LISTED) out.push(`  - … ${r.tasks.failed.length - LISTED} more failed`);
  out.push('', '## Throughput', '');
  out.push(
    `- commits on the base: ${r.throughput.commits ?? 'unknown'} (${r.throughput.commits_per_hour ?? '-'} per hour)`,
    `- merged tasks per hour: ${r.throughput.merged_per_hour}`,
  );
  out.push('', '## Cost', '');
  out.push(
    `- total: ${money(r.cost.total_usd)} · per merged task: ${r.cost.per_merged_task_usd === null ? '-' : money(r.cost.per_merged_task_usd)}`,
  );
  const roles = Object.entries(r.cost.by_role).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (roles.length) out.push(`- per role: ${roles.map(([role, usd]) => `${role} ${money(usd)}`).join(' · ')}`);
  out.push('', '## Acceptance', '');
  const acceptance = Object.entries(r.acceptance).sort((a, b) => a[0].localeCompare(b[0]));
  if (acceptance.length === 0) out.push('- nothing judged in this window');
  for (const [role, a] of acceptance) out.push(`- ${role}: ${acceptanceLine(a)}`);
  out.push('', '## Errors', '');
  out.push(
    `- ${r.errors.failed_runs} of ${r.errors.runs} runs did not succeed (error rate ${percent(r.errors.error_rate)})`,
  );
  for (const t of r.errors.top_reasons) out.push(`  - ${t.outcome} ×${t.count}: ${oneLine(t.example)}`);
  return `${out.join('\n')}\n`;
}

function waitingLine(waiting: Partial<Record<Lifecycle, number>>): string {
  const parts = Object.entries(waiting)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([l, n]) => `${lifecycleLabel(l as Lifecycle)} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

function acceptanceLine(a: RoleAcceptance): string {
  const parts: string[] = [];
  if (a.checks_first_try) parts.push(`checks passed at first try ${share(a.checks_first_try)}`);
  if (a.reviews_approved) parts.push(`reviews approved ${share(a.reviews_approved)}`);
  if (a.proposals_promoted) parts.push(`proposals promoted ${share(a.proposals_promoted)}`);
  return parts.join(' · ');
}

function share(r: Rate): string {
  return `${r.passed}/${r.total} (${percent(r.rate)})`;
}

function percent(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(rate * 100)}%`;
}

function money(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

function oneLine(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
