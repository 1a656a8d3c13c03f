import type { Command } from 'commander';
import { localDay } from '../../core/clock.js';
import { UsageError } from '../../core/errors.js';
import { parseSince, type RunQuery, type RunSummary } from '../../ledger/query.js';
import type { LedgerRecord } from '../../ledger/record.js';
import { print, printJson, table } from '../output.js';
import { initialisedLayout } from '../project.js';

interface RunsOpts {
  agent?: string;
  role?: string;
  task?: string;
  outcome?: string;
  since?: string;
  limit: string;
  json?: boolean;
}

/** `tickfleet runs`: the run ledger, newest first, with a one-line total. */
export function register(program: Command): void {
  program
    .command('runs')
    .description('agent runs from the ledger (.orchestrator/runs/), newest first')
    .option('--agent <name>', 'only this agent')
    .option('--role <role>', 'only this role')
    .option('--task <id>', 'only runs on this task')
    .option('--outcome <kind>', 'only this outcome (success, timeout, max_turns, ...)')
    .option('--since <when>', 'a date (2026-01-01), an ISO time, or an age (90m, 24h, 7d, 2w)')
    .option('--limit <n>', 'show at most this many (0 = all)', '20')
    .option('--json', 'machine-readable output')
    .action(async (opts: RunsOpts, cmd: Command) => {
      const limit = limitOption(opts.limit);
      const query: RunQuery = {
        ...(opts.since === undefined ? {} : { since: sinceOption(opts.since) }),
        ...(opts.agent === undefined ? {} : { agent: opts.agent }),
        ...(opts.role === undefined ? {} : { role: opts.role }),
        ...(opts.task === undefined ? {} : { task: opts.task }),
        ...(opts.outcome === undefined ? {} : { outcome: opts.outcome }),
        // One more than shown tells whether the list was cut.
        ...(limit === 0 ? {} : { limit: limit + 1 }),
      };
      const { queryRuns, summarizeRuns } = await import('../../ledger/query.js');
      const found = await queryRuns(initialisedLayout(cmd), query);
      const runs = limit === 0 ? found : found.slice(0, limit);
      const more = found.length > runs.length;
      const summary = summarizeRuns(runs);
      if (opts.json) return printJson({ runs, summary, more });
      if (runs.length === 0) return print('no runs');
      print(table([['TIME', 'AGENT', 'TASK', 'OUTCOME', 'COST', 'TURNS', 'DURATION'], ...runs.map(row)]));
      print(totalLine(summary, more ? limit : undefined));
    });
}

function row(r: LedgerRecord): string[] {
  return [
    localTime(r.started_at),
    r.agent,
    r.task_id ?? '-',
    r.outcome,
    money(r.cost_usd),
    String(r.turns ?? 0),
    duration(r.duration_ms),
  ];
}

function totalLine(s: RunSummary, cutAt: number | undefined): string {
  const outcomes = Object.entries(s.byOutcome)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const parts = [
    `total: ${s.count} run${s.count === 1 ? '' : 's'}`,
    money(s.cost_usd),
    `${s.turns} turns`,
    duration(s.duration_ms),
    outcomes,
  ];
  return parts.join(' · ') + (cutAt === undefined ? '' : ` (newest ${cutAt} shown; --limit 0 for all)`);
}

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${localDay(d)} ${hh}:${mm}`;
}

function money(usd: number): string {
  return `$${(Number.isFinite(usd) ? usd : 0).toFixed(2)}`;
}

function duration(ms: number): string {
  const total = Math.round((Number.isFinite(ms) ? ms : 0) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function sinceOption(value: string): Date {
  const since = parseSince(value, new Date());
  if (!since)
    throw new UsageError(
      `--since: expected a date (2026-01-01), an ISO time or an age (90m, 24h, 7d, 2w), got "${value}"`,
    );
  return since;
}

function limitOption(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--limit: expected a whole number (0 = all), got "${value}"`);
  return Number(value);
}
