import { localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { ledgerDays, readLedgerDay } from './ledger.js';
import type { LedgerRecord } from './record.js';

/** Filters for `tickfleet runs`; every one is optional. */
export interface RunQuery {
  /** Runs that started at or after this instant. */
  since?: Date;
  /** Runs that started before this instant. */
  until?: Date;
  agent?: string;
  role?: string;
  task?: string;
  outcome?: string;
  /** At most this many, newest first. */
  limit?: number;
}

/**
 * Ledger records matching `query`, newest first. Only the day folders that
 * can hold a match are read (records are filed by the local day they
 * started), and reading stops once `limit` records are found.
 */
export async function queryRuns(layout: Layout, query: RunQuery = {}): Promise<LedgerRecord[]> {
  const first = query.since ? localDay(query.since) : undefined;
  const last = query.until ? localDay(query.until) : undefined;
  const days = (await ledgerDays(layout))
    .filter((d) => (first === undefined || d >= first) && (last === undefined || d <= last))
    .reverse();
  const out: LedgerRecord[] = [];
  for (const day of days) {
    const records = (await readLedgerDay(layout, day)).filter((r) => matches(r, query));
    out.push(...records.sort(newestFirst));
    if (query.limit !== undefined && out.length >= query.limit) break;
  }
  return query.limit === undefined ? out : out.slice(0, query.limit);
}

function matches(r: LedgerRecord, q: RunQuery): boolean {
  const started = Date.parse(r.started_at);
  if (q.since && !(started >= q.since.getTime())) return false;
  if (q.until && !(started < q.until.getTime())) return false;
  if (q.agent !== undefined && r.agent !== q.agent) return false;
  if (q.role !== undefined && r.role !== q.role) return false;
  if (q.task !== undefined && r.task_id !== q.task) return false;
  if (q.outcome !== undefined && r.outcome !== q.outcome) return false;
  return true;
}

function newestFirst(a: LedgerRecord, b: LedgerRecord): number {
  return Date.parse(b.started_at) - Date.parse(a.started_at) || b.run_id.localeCompare(a.run_id);
}

/**
 * `--since`: a date (`2026-01-01`, from local midnight), an ISO time
 * (`2026-01-01T08:00:00Z`), or an age (`90m`, `24h`, `7d`, `2w`) back from
 * `now`. Undefined when the text is none of these.
 */
export function parseSince(text: string, now: Date): Date | undefined {
  const s = text.trim();
  const age = /^(\d+)\s*(m|h|d|w)$/.exec(s);
  if (age) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[age[2] as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (day) {
    const d = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Reject 2026-02-31 and friends instead of rolling them into March.
    return localDay(d) === s ? d : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

export interface RunSummary {
  count: number;
  cost_usd: number;
  tokens: LedgerRecord['tokens'];
  turns: number;
  duration_ms: number;
  byOutcome: Record<string, number>;
  byAgent: Record<string, { count: number; cost_usd: number }>;
}

/** Totals over a set of runs; a missing or non-numeric figure counts as zero. */
export function summarizeRuns(records: readonly LedgerRecord[]): RunSummary {
  const sum: RunSummary = {
    count: 0,
    cost_usd: 0,
    tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    turns: 0,
    duration_ms: 0,
    byOutcome: {},
    byAgent: {},
  };
  for (const r of records) {
    const cost = num(r.cost_usd);
    sum.count++;
    sum.cost_usd += cost;
    sum.turns += num(r.turns);
    sum.duration_ms += num(r.duration_ms);
    for (const key of ['input', 'output', 'cache_read', 'cache_creation'] as const)
      sum.tokens[key] += num(r.tokens?.[key]);
    sum.byOutcome[r.outcome] = (sum.byOutcome[r.outcome] ?? 0) + 1;
    sum.byAgent[r.agent] ??= { count: 0, cost_usd: 0 };
    const agent = sum.byAgent[r.agent]!;
    agent.count++;
    agent.cost_usd += cost;
  }
  return sum;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
