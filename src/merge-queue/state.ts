import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import type { BatchRecord } from '../ledger/batch.js';

/** An approved branch in the queue: its review, task, and the head that was approved. */
export interface QueueEntry {
  review: string;
  task: string;
  branch: string;
  base: string;
  head: string;
  approved: string;
}

/** A branch of a landing batch, with the commit its change has on the base. */
export interface LandedEntry extends QueueEntry {
  merged_head: string;
}

/** The batch being merged, written before each step that others could see half done. */
export interface InFlightBatch {
  id: string;
  base: string;
  /** The base when the batch started: the base is either still here or at `landing.tip`, never between. */
  base_sha: string;
  entries: QueueEntry[];
  started_at: string;
  /** The process running it; it holds the merge-queue lock while it lives. */
  owner: ProcessIdentity;
  /** The test command running now, its process group ended by whoever recovers a killed batch. */
  test?: { pgid: number; commit: string; started_at: string };
  test_runs: number;
  /** Written just before the base's advance: when the base is at `tip`, these reviews landed. */
  landing?: { tip: string; landed: LandedEntry[] };
}

/** Why the queue merges nothing now; it resumes by itself once the reason is gone. */
export interface QueueHold {
  kind: 'base_red' | 'dirty_base';
  reason: string;
  since: string;
  base: string;
  /** base_red: the base commit that failed; it is tested again once the base moves. */
  base_sha?: string;
  /** base_red: the expedite fix task made for it. */
  fix_task?: string;
  /** dirty_base: the person's checkout. */
  checkout?: string;
}

export interface QueueState {
  in_flight?: InFlightBatch;
  hold?: QueueHold;
  /** The base commit last seen passing the test command. */
  green_base?: string;
  /** The newest batches, newest first. */
  last: BatchRecord[];
}

/** How many finished batches the state keeps for `tickfleet merge-queue` (the ledger keeps them all). */
export const LAST_KEPT = 10;

export function mergeQueueStateDir(layout: Layout): string {
  return path.join(layout.dir, 'merge-queue');
}

export function mergeQueueLock(layout: Layout): string {
  return path.join(layout.locks, 'merge-queue');
}

function stateFile(layout: Layout): string {
  return path.join(mergeQueueStateDir(layout), 'state.json');
}

export async function readQueueState(layout: Layout): Promise<QueueState> {
  return (await readJsonIfExists<QueueState>(stateFile(layout))) ?? { last: [] };
}

/** Only the holder of the merge-queue lock writes the state. */
export async function writeQueueState(layout: Layout, state: QueueState): Promise<void> {
  await writeJsonAtomic(stateFile(layout), state);
}

export async function updateQueueState(
  layout: Layout,
  change: (state: QueueState) => void | Promise<void>,
): Promise<QueueState> {
  const state = await readQueueState(layout);
  await change(state);
  await writeQueueState(layout, state);
  return state;
}
