import { isFleetProblem } from '../claude/outcome.js';
import type { ClientProblem } from '../claude/startable.js';
import type { Config } from '../config/agentsConfig.js';
import type { BranchChecks } from '../gatekeeper/standing.js';
import { firstLine } from '../process/firstLine.js';
import { FAILURE_STREAK } from '../scheduler/notices.js';
import type { DependencyProblem } from '../tasks/deps.js';
import type { QuarantinedFile } from '../tasks/quarantine.js';
import type { AgentStatus } from './agentStatus.js';
import { ago } from './ago.js';
import type { FailedTask } from './failedTasks.js';
import type { AttentionItem, TickInfo } from './fleetStatus.js';
import { type LastTick, TICK_SILENCE_MS } from './lastTick.js';

export interface AttentionInput {
  now: Date;
  config: Config;
  agents: AgentStatus[];
  failed: FailedTask[];
  questions: { title: string; from: string; file: string; task?: string }[];
  /** Local review records waiting for approve or reject (review back end `local`). */
  pendingReviews: { id: string; title: string }[];
  /** Branches under the gatekeepers; those still checked or being fixed do not wait for a person. */
  checks?: BranchChecks[];
  quarantined: QuarantinedFile[];
  proposalsQuarantined: number;
  unreadable: { file: string; reason: string }[];
  dependencyProblems: DependencyProblem[];
  openPrs: { count: number } | { error: string };
  /** Agents whose client would not start (missing, no credentials, no endpoint). */
  clientProblems?: Record<string, ClientProblem>;
  tick: TickInfo;
  lastTick?: LastTick;
  /** Why the merge queue lands nothing now (merge-queue/state.ts). */
  mergeQueueHold?: { kind: 'base_red' | 'dirty_base'; reason: string; checkout?: string; fix_task?: string };
}

/**
 * A runner ends its client at claude.timeout_minutes; its follow-up may then
 * run the project's tests before a merge (30 minutes at most by default).
 * A run older than both, with margin, is not going to end by itself.
 */
const FOLLOW_UP_MARGIN_MS = 35 * 60_000;
/** The tick gives a spawned runner this long to record its pid. */
const NO_PID_GRACE_MS = 120_000;
/** A reason shown inside a longer line: its first line as written, cut short. */
const ONE_LINE = { verbatim: true, maxLength: 160 } as const;

/** What will not sort itself out. Pure: every input is read by the caller. */
export function attentionItems(input: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  const add = (item: AttentionItem) => items.push(item);
  if (!input.config.paused && input.config.agents.length > 0) {
    const silent = !input.lastTick || input.now.getTime() - input.lastTick.at.getTime() > TICK_SILENCE_MS;
    if (silent) {
      const last = input.lastTick;
      const since = !last
        ? 'none has run yet'
        : last.fromRuns
          ? `the last sign of one is an agent start ${ago(last.at, input.now)} ago`
          : `none ran for ${ago(last.at, input.now)}`;
      add({
        kind: 'no_tick',
        text: input.tick.installed
          ? `the tick is installed with ${input.tick.installed} but ${since}`
          : `no tick is installed and ${since}: no agent will start`,
        fix: input.tick.installed
          ? 'run `tickfleet doctor`; read .orchestrator/logs/tick.log'
          : 'run `tickfleet setup cron` (or launchd / systemd), or keep `tickfleet watch` running',
      });
    }
  }
  for (const t of input.failed) {
    add({
      kind: 'failed_task',
      ref: t.id,
      text: `${t.id} failed after ${t.attempts} attempt${t.attempts === 1 ? '' : 's'}: ${t.title}${t.error ? ` (${firstLine(t.error, ONE_LINE)})` : ''}`,
      fix: `fix the cause, then \`tickfleet retry-failed ${t.id}\` (or \`tickfleet show ${t.id}\`)`,
    });
  }
  for (const q of input.questions) {
    add({
      kind: 'question',
      ref: q.file,
      text: `question from ${q.from}${q.task ? ` on ${q.task}` : ''}: ${q.title}`,
      fix: `read ${q.file}, act on it, then delete it`,
    });
  }
  const gated = new Map((input.checks ?? []).map((c) => [c.subject, c]));
  for (const c of input.checks ?? []) {
    if (c.pr !== undefined) {
      // A PR is reviewed and merged on GitHub: the fix is a gh command, not tickfleet review.
      if (c.state === 'needs_person')
        add({
          kind: 'checks_need_person',
          ref: c.subject,
          text: `PR #${c.pr} (${c.branch}): ${c.line}: ${c.why ?? 'its checks need a person'}`,
          fix: `look at the PR (\`gh pr view ${c.pr} --web\`)`,
        });
      else if (c.state === 'ready')
        add({
          kind: 'review_ready',
          ref: c.subject,
          text: c.approved
            ? `PR #${c.pr} (${c.branch}) passed its required checks (${c.line}) and is approved; it waits for its merge`
            : `PR #${c.pr} (${c.branch}) passed its required checks (${c.line}) and is ready for your review`,
          fix: c.approved ? `\`gh pr merge ${c.pr}\`` : `\`gh pr review ${c.pr} --approve\``,
        });
      continue;
    }
    if (c.state === 'needs_person') {
      add({
        kind: 'checks_need_person',
        ref: c.subject,
        text: `${c.subject} (${c.branch}): ${c.line}: ${c.why ?? 'its checks need a person'}`,
        fix: `look at \`${c.branch}\`, then \`tickfleet review approve ${c.subject}\` or \`tickfleet review reject ${c.subject} --reason "…"\``,
      });
    } else if (c.state === 'ready') {
      add({
        kind: 'review_ready',
        ref: c.subject,
        text: `${c.subject} (${c.branch}) passed its required checks (${c.line}) and is ready for your review`,
        fix: `\`tickfleet review approve ${c.subject}\``,
      });
    }
  }
  const hold = input.mergeQueueHold;
  if (hold)
    add({
      kind: 'merge_queue_held',
      text: `the merge queue is held: ${hold.reason}`,
      fix:
        hold.kind === 'dirty_base'
          ? `commit or stash your changes in ${hold.checkout ?? 'that checkout'}; the queue goes on by itself`
          : `fix task ${hold.fix_task ?? '(none)'} is queued; or fix it by hand on the base: the queue resumes once the base passes`,
    });
  const pendingReviews = input.pendingReviews.filter((r) => !gated.has(r.id));
  if (pendingReviews.length > 0) {
    const n = pendingReviews.length;
    const shown = pendingReviews
      .slice(0, 3)
      .map((r) => r.id)
      .join(', ');
    add({
      kind: 'review_waiting',
      text: `${n} branch${n === 1 ? '' : 'es'} wait${n === 1 ? 's' : ''} for your review: ${shown}${n > 3 ? `, and ${n - 3} more` : ''}`,
      fix: '`tickfleet review list`, then `tickfleet review approve <id>` or `tickfleet review reject <id> --reason "…"`',
    });
  }
  // Only a person merging or closing PRs (or raising the limit) lets these agents claim again.
  const held = input.agents.filter((a) => a.code === 'open_prs');
  if (held.length > 0 && 'count' in input.openPrs) {
    const limit = input.config.queue_limits.max_open_prs;
    add({
      kind: 'review_backpressure',
      text: `${held.map((a) => a.name).join(', ')} wait${held.length === 1 ? 's' : ''}: ${input.openPrs.count} open PRs or pending reviews reach max_open_prs ${limit}`,
      fix: 'merge or close PRs (local back end: `tickfleet review approve|reject`), or raise the limit with `tickfleet tune-backpressure --max-open-prs N`',
    });
  }
  for (const f of input.quarantined) {
    add({
      kind: 'quarantined',
      ref: f.file,
      text: `quarantined task file ${f.file}${f.reason ? `: ${firstLine(f.reason, ONE_LINE)}` : ''}`,
      fix: 'fix the file and move it back to incoming/, or delete it',
    });
  }
  if (input.proposalsQuarantined > 0) {
    add({
      kind: 'quarantined',
      text: `${input.proposalsQuarantined} quarantined proposal file(s) in .orchestrator/shared/proposals/quarantine/`,
      fix: 'read the .reason file beside each; fix it and move it back to active/, or delete it',
    });
  }
  for (const u of input.unreadable)
    add({
      kind: 'unreadable_task',
      ref: u.file,
      text: `unreadable task file ${u.file}: ${firstLine(u.reason, ONE_LINE)}`,
      fix: 'fix it by hand; the next listing or claim moves it to quarantine/',
    });
  for (const p of input.dependencyProblems)
    add({
      kind: 'dependency',
      text: p.message,
      fix:
        p.kind === 'cycle'
          ? 'remove one blocked_by entry of the cycle'
          : 'edit blocked_by, retry the blocker or cancel the task',
    });
  if ('error' in input.openPrs) {
    add({
      kind: 'open_prs_unreadable',
      text: `open PR count unreadable, so no task is claimed: ${input.openPrs.error}`,
      fix: 'check `gh auth status` and the remote, or set review.backend: local',
    });
  }
  // One line per cause, naming every agent it stops: a missing client usually stops them all.
  const byReason = new Map<string, { problem: ClientProblem; agents: string[] }>();
  for (const [agent, problem] of Object.entries(input.clientProblems ?? {})) {
    const entry = byReason.get(problem.reason) ?? { problem, agents: [] };
    entry.agents.push(agent);
    byReason.set(problem.reason, entry);
  }
  for (const { problem, agents } of byReason.values()) {
    add({
      kind: 'client_cannot_start',
      ref: agents.join(','),
      text: `${agents.join(', ')} cannot start: ${problem.reason}`,
      fix: problem.fix,
    });
  }
  for (const a of input.agents) {
    const stuck = stuckReason(input, a);
    if (stuck)
      add({
        kind: 'stuck_agent',
        ref: a.name,
        text: `${a.name} ${stuck}`,
        fix: `read .orchestrator/logs/${a.name}-*.log; if its runner hangs, kill it (pid ${a.running?.pid ?? '?'}) and the next tick recovers the task`,
      });
    if (a.consecutive_failures >= FAILURE_STREAK && !isFleetProblem(a.last_outcome?.kind)) {
      add({
        kind: 'failing_agent',
        ref: a.name,
        text: `${a.name} failed its last ${a.consecutive_failures} runs (last: ${a.last_outcome?.kind ?? 'unknown'}: ${firstLine(a.last_outcome?.reason ?? '', ONE_LINE)})`,
        fix: `\`tickfleet runs --agent ${a.name}\`, \`tickfleet doctor\`; \`tickfleet pause-agent ${a.name}\` meanwhile`,
      });
    }
  }
  return items;
}

function stuckReason(input: AttentionInput, a: AgentStatus): string | undefined {
  const run = a.running;
  if (!run) return undefined;
  const age = input.now.getTime() - new Date(run.started_at).getTime();
  if (run.pid === undefined)
    return age > NO_PID_GRACE_MS
      ? `has a run recorded ${ago(new Date(run.started_at), input.now)} ago whose runner never started`
      : undefined;
  const agent = input.config.agents.find((x) => x.name === a.name);
  const limit = (agent?.claude.timeout_minutes ?? input.config.claude.timeout_minutes) * 60_000 + FOLLOW_UP_MARGIN_MS;
  return age > limit
    ? `has been running for ${ago(new Date(run.started_at), input.now)}, far past its ${agent?.claude.timeout_minutes ?? input.config.claude.timeout_minutes}-minute timeout`
    : undefined;
}
