import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile.js';
import { localDay } from '../core/clock.js';
import { errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { LedgerRecord } from './record.js';

/**
 * The run ledger: `.orchestrator/runs/YYYY-MM-DD/<run-id>.json`, one file per
 * run, grouped by the local day the run started so that a day's spend is one
 * small folder to read, whatever the history holds.
 */
export function ledgerDayDir(layout: Layout, day: string): string {
  return path.join(layout.runs, day);
}

export async function writeLedgerRecord(layout: Layout, record: LedgerRecord): Promise<string> {
  const dir = ledgerDayDir(layout, localDay(new Date(record.started_at)));
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${record.run_id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { overwrite: true });
  return file;
}

export async function readLedgerDay(layout: Layout, day: string): Promise<LedgerRecord[]> {
  const dir = ledgerDayDir(layout, day);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const records: LedgerRecord[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    try {
      records.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as LedgerRecord);
    } catch {
      // A record that cannot be read is skipped here; `tickfleet doctor` reports it.
    }
  }
  return records;
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
