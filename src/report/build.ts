import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { resolveBaseBranch } from '../git/base.js';
import { gitRun } from '../git/run.js';
import { queryRuns } from '../ledger/query.js';
import type { LedgerRecord } from '../ledger/record.js';
import { listProposals } from '../proposals/list.js';
import { type Lifecycle, taskLifecycle } from '../tasks/lifecycle.js';
import { tasksWrittenSince } from '../tasks/outcomes.js';
import { queueStatus } from '../tasks/queueCounts.js';
import type { Task } from '../tasks/task.js';
import { acceptanceByRole } from './acceptance.js';
import { type EndedTask, type MorningReport, round } from './report.js';

export interface ReportOptions {
  since: Date;
  now: Date;
  /** The resolved config, for the base branch; without it the main work tree's branch is used. */
  config?: Pick<Config, 'review'>;
}

const ENDED: ReadonlySet<Lifecycle> = new Set(['merged', 'finished', 'failed', 'cancelled']);
const TOP_REASONS = 5;

/** The morning report for [since, now): read-only, from the ledger, the queues, the verdict store and git. */
export async function buildReport(layout: Layout, options: ReportOptions): Promise<MorningReport> {
  const w = { since: options.since.getTime(), until: options.now.getTime() };
  const hours = Math.max((w.until - w.since) / 3_600_000, 1 / 60);
  const runs = await queryRuns(layout, { since: options.since, until: options.now });
  // Only files written in the window can hold a task that ended or was judged in it.
  const written = tasksWrittenSince(layout, ['done', 'failed'], options.since);
  const tasks = written.map((w) => w.task);
  const { proposals } = await listProposals(layout);
  // What waits is counted the way queue-status counts it: file heads only, cached for done/ and failed/.
  const { byLifecycle } = await queueStatus(layout);
  const waiting: Partial<Record<Lifecycle, number>> = {};
  for (const [lifecycle, n] of Object.entries(byLifecycle) as [Lifecycle, number][])
    if (n > 0 && !ENDED.has(lifecycle)) waiting[lifecycle] = n;

  const merged: EndedTask[] = [];
  const failed: EndedTask[] = [];
  for (const { task: t, mtimeMs } of written) {
    const lifecycle = taskLifecycle(t);
    if (lifecycle !== 'merged' && lifecycle !== 'failed') continue;
    const at = endedAt(t, mtimeMs);
    if (at < w.since || at >= w.until) continue;
    const line: EndedTask = { id: t.id, title: t.title, role: t.role, at: new Date(at).toISOString() };
    if (lifecycle === 'merged') merged.push(line);
    else failed.push({ ...line, ...(t.error ? { error: t.error } : {}) });
  }
  merged.sort(byTime);
  failed.sort(byTime);

  const byRole: Record<string, number> = {};
  let total = 0;
  for (const r of runs) {
    const cost = Number.isFinite(r.cost_usd) ? r.cost_usd : 0;
    total += cost;
    byRole[r.role] = round((byRole[r.role] ?? 0) + cost);
  }
  const roleByTask = agentRoleByTask(runs);
  const commits = await commitsOnBase(layout, options);

  return {
    since: options.since.toISOString(),
    until: options.now.toISOString(),
    hours: round(hours, 2),
    tasks: { merged, failed, waiting },
    throughput: {
      commits,
      commits_per_hour: commits === null ? null : round(commits / hours, 2),
      merged_per_hour: round(merged.length / hours, 2),
    },
    cost: {
      total_usd: round(total),
      per_merged_task_usd: merged.length === 0 ? null : round(total / merged.length),
      by_role: byRole,
    },
    acceptance: await acceptanceByRole(layout, { tasks, proposals, roleOf: (t) => roleByTask.get(t.id) ?? t.role }, w),
    errors: errorFigures(runs),
  };
}

/** A merged task ended at its stage time; a failed one when its file moved to failed/ (the move writes it). */
function endedAt(task: Task, mtimeMs: number): number {
  if (task.stage_at) return Date.parse(task.stage_at);
  if (task.cancelled_at) return Date.parse(task.cancelled_at);
  return mtimeMs;
}

/** The agent role that worked on each task: the last run on it (the runs come newest first). */
function agentRoleByTask(runs: readonly LedgerRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of runs) if (r.task_id && !out.has(r.task_id)) out.set(r.task_id, r.role);
  return out;
}

function errorFigures(runs: readonly LedgerRecord[]): MorningReport['errors'] {
  const failures = runs.filter((r) => r.outcome !== 'success');
  const groups = new Map<string, { count: number; example: string }>();
  for (const r of failures) {
    const g = groups.get(r.outcome);
    // Runs come newest first: the first seen is the latest example.
    if (g) g.count++;
    else groups.set(r.outcome, { count: 1, example: r.reason });
  }
  const top = [...groups.entries()]
    .map(([outcome, g]) => ({ outcome, ...g }))
    .sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome))
    .slice(0, TOP_REASONS);
  return {
    runs: runs.length,
    failed_runs: failures.length,
    error_rate: runs.length === 0 ? null : round(failures.length / runs.length),
    top_reasons: top,
  };
}

/** Commits reachable from the base branch with a commit time in the window; null when git cannot say. */
async function commitsOnBase(layout: Layout, options: ReportOptions): Promise<number | null> {
  try {
    const base = await resolveBaseBranch(layout.root, options.config?.review.base_branch);
    const r = await gitRun(
      layout.root,
      [
        'rev-list',
        '--count',
        `--since=${options.since.toISOString()}`,
        `--until=${options.now.toISOString()}`,
        base,
        '--',
      ],
      { allowFail: true },
    );
    const n = Number(r.stdout.trim());
    return r.code === 0 && Number.isInteger(n) ? n : null;
  } catch {
    // Not a repository, or no base yet: the report still has everything else.
    return null;
  }
}

function byTime(a: EndedTask, b: EndedTask): number {
  return a.at.localeCompare(b.at) || a.id.localeCompare(b.id);
}
