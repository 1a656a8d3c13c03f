import { TASK_STATES } from '../core/paths.js';
import { table } from '../core/table.js';
import { usd } from '../scheduler/budget.js';
import { lifecycleLine } from '../tasks/lifecycle.js';
import { ago } from './ago.js';
import type { AgentLine, FleetStatus } from './fleetStatus.js';

/** Colours for the human output; the CLI passes its NO_COLOR-aware painters. */
export interface Style {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const same = (s: string) => s;
export const plainStyle: Style = { green: same, yellow: same, red: same, dim: same, bold: same };

/** `tickfleet status` for people: compact, aligned, the things that need a person last and loudest. */
export function formatStatus(s: FleetStatus, style: Style = plainStyle): string[] {
  const now = new Date(s.now);
  const lines = [
    style.bold(`tickfleet status · ${s.root} · ${s.day} ${clock(now, now)}`),
    ...fleetLines(s, now, style),
    '',
  ];

  lines.push(style.bold('agents'));
  if (s.agents.length === 0) lines.push(style.dim('  no agents in agents.yaml: add one with `tickfleet add-agent`'));
  else
    lines.push(
      table(
        [
          ['NAME', 'ROLE', 'STATE', 'LAST RUN', 'NEXT', 'TODAY', 'WHY'].map(style.dim),
          ...s.agents.map((a) => agentRow(a, now, style)),
        ],
        '  ',
      ),
    );

  const q = s.queue;
  const roles = [...new Set(TASK_STATES.flatMap((st) => Object.keys(q.byStateAndRole[st])))].sort();
  lines.push('', style.bold('queue'));
  const rows = [['ROLE', ...TASK_STATES.map((st) => st.toUpperCase())].map(style.dim)];
  for (const role of roles) rows.push([role, ...TASK_STATES.map((st) => String(q.byStateAndRole[st][role] ?? 0))]);
  rows.push([style.dim('total'), ...TASK_STATES.map((st) => String(q.counts[st]))]);
  lines.push(table(rows, '  '));
  if (roles.length > 0) lines.push(`  ${style.dim('lifecycle')}  ${lifecycleLine(q.byLifecycle)}`);
  const queueNotes = [
    q.quarantined > 0 ? `${q.quarantined} quarantined` : '',
    q.unreadable.length > 0 ? `${q.unreadable.length} unreadable` : '',
    q.dependency_problems.length > 0 ? `${q.dependency_problems.length} blocked_by problem(s)` : '',
  ].filter(Boolean);
  if (queueNotes.length > 0) lines.push(style.yellow(`  ${queueNotes.join(' · ')}`));

  const p = s.proposals;
  if (p.active + p.promoted + p.deferred + p.rejected + p.quarantined > 0) {
    lines.push(
      '',
      `${style.bold('proposals')}  active ${p.active} · promoted ${p.promoted} · deferred ${p.deferred} · rejected ${p.rejected}${p.quarantined ? style.yellow(` · quarantined ${p.quarantined}`) : ''}`,
    );
  }

  if (s.checks.length > 0) {
    lines.push('', style.bold('checks'));
    for (const c of s.checks)
      lines.push(`  ${c.subject}: ${c.line}  ${style.dim(c.state.replace('_', ' ') + (c.why ? `: ${c.why}` : ''))}`);
  }
  if (s.merge_queue)
    lines.push(
      '',
      `${style.bold('merge queue')}  ${s.merge_queue.held ? style.yellow(s.merge_queue.line) : s.merge_queue.line}`,
    );
  const prs = s.pull_requests;
  if (prs) {
    const seen = prs.polled_at
      ? `as of ${clock(new Date(prs.polled_at), now)}`
      : 'not polled yet: the next tick reads them';
    lines.push('', `${style.bold('pull requests')}  ${prs.open.length} open ${style.dim(`(${seen})`)}`);
    if (prs.poll_error)
      lines.push(
        style.yellow(`  the last poll failed at ${clock(new Date(prs.poll_error.at), now)}: ${prs.poll_error.message}`),
      );
    for (const pr of prs.open)
      lines.push(`  ${/checks failing|changes requested/.test(pr.line) ? style.yellow(pr.line) : pr.line}`);
  }

  const m = s.messages;
  const kinds = Object.entries(m.byType)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`);
  lines.push(
    '',
    `${style.bold('messages')}  ${m.total === 0 ? style.dim('none waiting') : `${m.total} waiting (${kinds.join(', ')}) in .orchestrator/messages/`}`,
  );
  for (const msg of m.newest)
    lines.push(`  ${style.dim(clock(new Date(msg.time), now))}  ${msg.type.padEnd(8)}  ${msg.from}: ${msg.title}`);

  lines.push('');
  if (s.attention.length === 0) lines.push(`${style.bold('needs a person')}  ${style.green('nothing')}`);
  else {
    lines.push(style.bold(style.red(`needs a person (${s.attention.length})`)));
    for (const item of s.attention) lines.push(`  ${style.red('•')} ${item.text}`, `    ${style.dim(`→ ${item.fix}`)}`);
  }
  return lines;
}

function fleetLines(s: FleetStatus, now: Date, style: Style): string[] {
  const f = s.fleet;
  const spend =
    f.daily_budget_usd === undefined
      ? `${usd(f.spend_today_usd)} spent today`
      : `${usd(f.spend_today_usd)} of ${usd(f.daily_budget_usd)} spent today`;
  const t = f.tick;
  const last = t.last_ran_at
    ? `, ${t.last_ran_is_agent_start ? 'last started an agent' : 'last ran'} ${ago(new Date(t.last_ran_at), now)} ago`
    : ', never ran';
  const tick = `tick: ${t.installed ?? 'not installed'}${last}`;
  const lines = [`fleet  ${f.running} of ${s.agents.length} running · ${spend} · ${tick}`];
  if (f.paused)
    lines.push(style.yellow('       paused: true in agents.yaml: no agent starts (`tickfleet resume-fleet`)'));
  if (f.quota_pause)
    lines.push(
      style.yellow(
        `       paused until ${clock(new Date(f.quota_pause.until), now)}: ${f.quota_pause.reason} (\`tickfleet resume-fleet\`)`,
      ),
    );
  return lines;
}

function agentRow(a: AgentLine, now: Date, style: Style): string[] {
  const phase =
    a.phase === 'running' || a.phase === 'due'
      ? style.green(a.phase)
      : a.phase === 'blocked'
        ? style.yellow(a.phase)
        : a.phase;
  const last = a.last_outcome
    ? `${a.last_outcome.kind === 'success' ? a.last_outcome.kind : style.yellow(a.last_outcome.kind)} ${ago(new Date(a.last_outcome.finished_at), now)} ago`
    : style.dim(a.last_started_at ? 'no result yet' : 'never ran');
  const next = a.next_due_at
    ? new Date(a.next_due_at).getTime() <= now.getTime()
      ? 'now'
      : clock(new Date(a.next_due_at), now)
    : style.dim('-');
  const why = a.runner_dead
    ? style.yellow(`${a.running?.task_id ? `on ${a.running.task_id}: ` : ''}${a.runner_dead}`)
    : a.running
      ? `${a.running.task_id ? `on ${a.running.task_id}, ` : ''}${a.running.pid ? `pid ${a.running.pid}, ` : ''}for ${ago(new Date(a.running.started_at), now)}`
      : a.reason;
  return [a.name, a.role + (a.focus ? `/${a.focus}` : ''), phase, last, next, usd(a.cost_today_usd), why];
}

/** Local HH:MM today, MM-DD HH:MM on another day: the times people read off a wall clock. */
function clock(d: Date, now: Date): string {
  if (Number.isNaN(d.getTime())) return '?';
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? hm : `${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${hm}`;
}
