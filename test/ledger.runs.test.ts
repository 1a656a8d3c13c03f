import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isoSeconds } from '../src/core/clock.js';
import { layoutFor } from '../src/core/paths.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import type { LedgerRecord } from '../src/ledger/record.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// TZ fixes the local times the table shows.
const runs = (dir: string, args: string[]) => cli(['-C', dir, 'runs', ...args], { TZ: 'UTC' });

function rec(run_id: string, started_at: string, over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    run_id,
    agent: 'impl-1',
    role: 'implementer',
    task_id: 'TASK-a1b2c3d4',
    started_at,
    finished_at: started_at,
    duration_ms: 312_000,
    outcome: 'success',
    reason: '',
    cost_usd: 0.4234,
    tokens: { input: 100, output: 10, cache_read: 0, cache_creation: 0 },
    turns: 12,
    ...over,
  };
}

async function project(records: LedgerRecord[]): Promise<string> {
  const dir = tempDir();
  mkdirSync(path.join(dir, '.orchestrator'));
  writeFileSync(path.join(dir, '.orchestrator', 'agents.yaml'), 'agents: []\n');
  for (const r of records) await writeLedgerRecord(layoutFor(dir), r);
  return dir;
}

describe('tickfleet runs (built CLI)', () => {
  it('prints an aligned table newest first and a one-line total', async () => {
    const dir = await project([
      rec('r1', '2026-01-01T09:05:00Z'),
      rec('r2', '2026-01-02T10:00:00Z', {
        agent: 'tester-long-name',
        task_id: undefined,
        outcome: 'timeout',
        cost_usd: 1.5,
        turns: 40,
        duration_ms: 3_725_000,
      }),
      rec('r3', '2026-01-02T11:00:00Z', { duration_ms: 9_000, turns: 3, cost_usd: 0.004 }),
    ]);
    const out = await runs(dir, []);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      [
        'TIME              AGENT             TASK           OUTCOME  COST   TURNS  DURATION',
        '2026-01-02 11:00  impl-1            TASK-a1b2c3d4  success  $0.00  3      9s',
        '2026-01-02 10:00  tester-long-name  -              timeout  $1.50  40     1h02m',
        '2026-01-01 09:05  impl-1            TASK-a1b2c3d4  success  $0.42  12     5m12s',
        'total: 3 runs · $1.93 · 55 turns · 1h07m · success 2, timeout 1',
        '',
      ].join('\n'),
    );
  });

  it('filters, limits (saying so) and prints JSON with the summary', async () => {
    const dir = await project([
      rec('r1', '2026-01-01T09:00:00Z'),
      rec('r2', '2026-01-02T09:00:00Z', { agent: 'test-1', role: 'tester', outcome: 'timeout' }),
      rec('r3', '2026-01-03T09:00:00Z'),
    ]);
    const limited = await runs(dir, ['--limit', '1']);
    expect(limited.stdout.trimEnd().split('\n')).toEqual([
      'TIME              AGENT   TASK           OUTCOME  COST   TURNS  DURATION',
      '2026-01-03 09:00  impl-1  TASK-a1b2c3d4  success  $0.42  12     5m12s',
      'total: 1 run · $0.42 · 12 turns · 5m12s · success 1 (newest 1 shown; --limit 0 for all)',
    ]);
    const json = JSON.parse((await runs(dir, ['--agent', 'impl-1', '--since', '2026-01-02', '--json'])).stdout) as {
      runs: LedgerRecord[];
      summary: { count: number; byAgent: object };
      more: boolean;
    };
    expect(json.runs.map((r) => r.run_id)).toEqual(['r3']);
    expect(json.summary).toMatchObject({ count: 1, byAgent: { 'impl-1': { count: 1 } } });
    expect(json.more).toBe(false);
    const byRole = JSON.parse(
      (await runs(dir, ['--role', 'tester', '--outcome', 'timeout', '--task', 'TASK-a1b2c3d4', '--json'])).stdout,
    ) as { runs: LedgerRecord[] };
    expect(byRole.runs.map((r) => r.run_id)).toEqual(['r2']);
    expect((await runs(dir, ['--outcome', 'crashed'])).stdout).toBe('no runs\n');
  });

  it('takes an age for --since', async () => {
    const now = Date.now();
    const dir = await project([
      rec('recent', isoSeconds(new Date(now - 3_600_000))),
      rec('old', isoSeconds(new Date(now - 3 * 86_400_000))),
    ]);
    const json = JSON.parse((await runs(dir, ['--since', '24h', '--json'])).stdout) as { runs: LedgerRecord[] };
    expect(json.runs.map((r) => r.run_id)).toEqual(['recent']);
  });

  it('rejects a bad --since or --limit with a one-line usage error (exit 2)', async () => {
    const dir = await project([]);
    const since = await runs(dir, ['--since', 'last tuesday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toBe(
      '✗ --since: expected a date (2026-01-01), an ISO time or an age (90m, 24h, 7d, 2w), got "last tuesday"\n',
    );
    const limit = await runs(dir, ['--limit', '-3']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toBe('✗ --limit: expected a whole number (0 = all), got "-3"\n');
  });
});
