import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile.js';
import { localDay } from '../core/clock.js';
import { errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';

/** How a merge-queue batch ended. */
export type BatchOutcome =
  /** Every branch landed. */
  | 'landed'
  /** Some landed; culprits or conflicts went back. */
  | 'partly_landed'
  /** Nothing landed: every branch went back (culprits, conflicts, moved branches). */
  | 'rejected'
  /** The queue held before anything landed (base red, a person's checkout dirty); the branches wait. */
  | 'held'
  /** Nothing landed and nothing was blamed (the base moved meanwhile, the process was killed): the branches wait. */
  | 'interrupted';

/** One record per merge-queue batch: which branches, how many test runs, how long, how it ended. */
export interface BatchRecord {
  id: string;
  base: string;
  /** The base before the batch. */
  from: string;
  /** The base after it, when it advanced. */
  to?: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  outcome: BatchOutcome;
  /** Review ids, in the order they were stacked. */
  branches: string[];
  landed: string[];
  culprits: string[];
  conflicts: string[];
  /** Runs of the test command (retries, base check and bisection included). */
  test_runs: number;
  /** Fix and conflict tasks made for the branches that went back. */
  tasks: string[];
  /** Why it was held or interrupted. */
  reason?: string;
}

/** `.orchestrator/merge-batches/YYYY-MM-DD/<batch-id>.json`, beside the run ledger and grouped the same way. */
export function batchDayDir(layout: Layout, day: string): string {
  return path.join(layout.dir, 'merge-batches', day);
}

export async function writeBatchRecord(layout: Layout, record: BatchRecord): Promise<string> {
  const dir = batchDayDir(layout, localDay(new Date(record.started_at)));
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${record.id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { overwrite: true });
  return file;
}

export async function readBatchDay(layout: Layout, day: string): Promise<BatchRecord[]> {
  const dir = batchDayDir(layout, day);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const records: BatchRecord[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    records.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as BatchRecord);
  }
  return records;
}
