import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { readDayRecords, writeDayRecord } from './dayFolder.js';

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

export function writeBatchRecord(layout: Layout, record: BatchRecord): Promise<string> {
  return writeDayRecord(path.join(layout.dir, 'merge-batches'), record.started_at, record.id, record);
}

export function readBatchDay(layout: Layout, day: string): Promise<BatchRecord[]> {
  return readDayRecords<BatchRecord>(batchDayDir(layout, day));
}
