import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDay } from '../src/core/clock.js';
import { type Layout, layoutFor } from '../src/core/paths.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import { parseSince, queryRuns, summarizeRuns } from '../src/ledger/query.js';
import type { LedgerRecord } from '../src/ledger/record.js';
import { tempDir } from './helpers/tmp.js';

function rec(run_id: string, started_at: string, over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    run_id,
    agent: 'impl-1',
    role: 'implementer',
    task_id: 'TASK-a1',
    started_at,
    finished_at: started_at,
    duration_ms: 60_000,
    outcome: 'success',
    reason: '',
    cost_usd: 0.5,
    tokens: { input: 100, output: 10, cache_read: 1, cache_creation: 2 },
    turns: 5,
    ...over,
  };
}

/** Runs at noon UTC on three days, so each lands in its own local-day folder in any time zone but the extremes. */
async function ledger(): Promise<Layout> {
  const layout = layoutFor(tempDir());
  for (const r of [
    rec('r1', '2026-01-01T12:00:00Z'),
    rec('r2', '2026-01-02T12:00:00Z', {
      agent: 'test-1',
      role: 'tester',
      task_id: 'TASK-b2',
      outcome: 'timeout',
      cost_usd: 1.25,
    }),
    rec('r3', '2026-01-02T12:30:00Z', { outcome: 'max_turns' }),
    rec('r4', '2026-01-03T12:00:00Z', { task_id: undefined }),
  ]) {
    await writeLedgerRecord(layout, r);
  }
  return layout;
}

const ids = (records: LedgerRecord[]) => records.map((r) => r.run_id);

describe('queryRuns', () => {
  it('returns every run newest first, and filters by agent, role, task and outcome', async () => {
    const layout = await ledger();
    expect(ids(await queryRuns(layout))).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(ids(await queryRuns(layout, { agent: 'impl-1' }))).toEqual(['r4', 'r3', 'r1']);
    expect(ids(await queryRuns(layout, { role: 'tester' }))).toEqual(['r2']);
    expect(ids(await queryRuns(layout, { task: 'TASK-a1' }))).toEqual(['r3', 'r1']);
    expect(ids(await queryRuns(layout, { outcome: 'max_turns', agent: 'impl-1' }))).toEqual(['r3']);
    expect(ids(await queryRuns(layout, { outcome: 'crashed' }))).toEqual([]);
    expect(ids(await queryRuns(layoutFor(tempDir())))).toEqual([]);
  });

  it('takes since (inclusive) and until (exclusive) to the instant, and a limit', async () => {
    const layout = await ledger();
    expect(ids(await queryRuns(layout, { since: new Date('2026-01-02T12:30:00Z') }))).toEqual(['r4', 'r3']);
    expect(ids(await queryRuns(layout, { until: new Date('2026-01-02T12:30:00Z') }))).toEqual(['r2', 'r1']);
    expect(ids(await queryRuns(layout, { since: new Date('2026-01-02T00:00:00Z'), limit: 2 }))).toEqual(['r4', 'r3']);
  });

  it('reads only the day folders the range and the limit need', async () => {
    const layout = await ledger();
    // A "day folder" that is a file: reading it would throw ENOTDIR.
    mkdirSync(layout.runs, { recursive: true });
    writeFileSync(path.join(layout.runs, '2025-06-01'), 'not a folder');
    await expect(queryRuns(layout)).rejects.toThrow(/ENOTDIR/);
    expect(ids(await queryRuns(layout, { since: new Date('2026-01-01T12:00:00Z') }))).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(ids(await queryRuns(layout, { limit: 3 }))).toEqual(['r4', 'r3', 'r2']);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-01-10T12:00:00Z');

  it('reads ages, dates (local midnight) and ISO times', () => {
    expect(parseSince('24h', now)).toEqual(new Date('2026-01-09T12:00:00Z'));
    expect(parseSince('7d', now)).toEqual(new Date('2026-01-03T12:00:00Z'));
    expect(parseSince('90m', now)).toEqual(new Date('2026-01-10T10:30:00Z'));
    expect(parseSince('2w', now)).toEqual(new Date('2025-12-27T12:00:00Z'));
    expect(parseSince('2026-01-01', now)).toEqual(new Date(2026, 0, 1));
    expect(localDay(parseSince('2026-01-01', now)!)).toBe('2026-01-01');
    expect(parseSince('2026-01-01T08:00:00Z', now)).toEqual(new Date('2026-01-01T08:00:00Z'));
    expect(parseSince('2026-01-01T08:00+02:00', now)).toEqual(new Date('2026-01-01T06:00:00Z'));
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'yesterday', '7', '-1d', '7y', '2026-02-31', '2026-1-1', '2026-01-01T25:00:00Z']) {
      expect(parseSince(bad, now), bad).toBeUndefined();
    }
  });
});

describe('summarizeRuns', () => {
  it('adds up count, cost, tokens, turns and duration, by outcome and by agent', () => {
    const runs = [
      rec('a', '2026-01-01T00:00:00Z'),
      rec('b', '2026-01-01T00:00:00Z', { agent: 'x', outcome: 'timeout', cost_usd: 1.5, turns: 7 }),
      rec('c', '2026-01-01T00:00:00Z'),
    ];
    expect(summarizeRuns(runs)).toEqual({
      count: 3,
      cost_usd: 2.5,
      tokens: { input: 300, output: 30, cache_read: 3, cache_creation: 6 },
      turns: 17,
      duration_ms: 180_000,
      byOutcome: { success: 2, timeout: 1 },
      byAgent: { 'impl-1': { count: 2, cost_usd: 1 }, x: { count: 1, cost_usd: 1.5 } },
    });
  });

  it('counts a record with missing figures as zero, and nothing as all zeros', () => {
    const odd = {
      ...rec('a', '2026-01-01T00:00:00Z'),
      cost_usd: Number.NaN,
      tokens: undefined,
    } as unknown as LedgerRecord;
    expect(summarizeRuns([odd])).toMatchObject({
      count: 1,
      cost_usd: 0,
      tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    });
    expect(summarizeRuns([])).toMatchObject({ count: 0, cost_usd: 0, turns: 0, byOutcome: {}, byAgent: {} });
  });
});
