import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { readDayRecords, writeDayRecord } from './dayFolder.js';
import type { LedgerRecord } from './record.js';

/**
 * The run ledger: `.orchestrator/runs/YYYY-MM-DD/<run-id>.json`, one file per
 * run, grouped by the local day the run started so that a day's spend is one
 * small folder to read, whatever the history holds.
 */
export function ledgerDayDir(layout: Layout, day: string): string {
  return path.join(layout.runs, day);
}

export function writeLedgerRecord(layout: Layout, record: LedgerRecord): Promise<string> {
  return writeDayRecord(layout.runs, record.started_at, record.run_id, record);
}

export function readLedgerDay(layout: Layout, day: string): Promise<LedgerRecord[]> {
  return readDayRecords<LedgerRecord>(ledgerDayDir(layout, day));
}

/** The days that have records, oldest first. */
export async function ledgerDays(layout: Layout): Promise<string[]> {
  try {
    return (await fs.readdir(layout.runs)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

export interface DaySpend {
  fleet: number;
  byAgent: Record<string, number>;
}

export function sumSpend(records: readonly LedgerRecord[]): DaySpend {
  const byAgent: Record<string, number> = {};
  let fleet = 0;
  for (const r of records) {
    const cost = Number.isFinite(r.cost_usd) ? r.cost_usd : 0;
    fleet += cost;
    byAgent[r.agent] = (byAgent[r.agent] ?? 0) + cost;
  }
  return { fleet, byAgent };
}
