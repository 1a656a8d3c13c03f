import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import { acquireLock, LockBusyError } from '../core/lock.js';
import type { Layout } from '../core/paths.js';
import { currentProcessIdentity, isProcessAlive, type ProcessIdentity } from '../core/processInfo.js';
import { revParse } from '../git/run.js';
import { checkedOutIn, dirtyBase } from '../review/advanceBase.js';
import type { QueueContext } from './context.js';
import { approvedEntries } from './entries.js';
import { recoverBatch } from './recover.js';
import { fixOfHold } from './runQueue.js';
import type { BatchStarter } from './spawnBatch.js';
import { mergeQueueLock, mergeQueueStateDir, readQueueState } from './state.js';

export interface MergeQueueStepOptions {
  clock: Clock;
  log: (line: string) => void;
  startBatch: BatchStarter;
  isAlive?: (id: ProcessIdentity) => Promise<boolean>;
}

/** The process a tick started, until it ends: so the next tick does not start a second one. */
function startedFile(layout: Layout): string {
  return path.join(mergeQueueStateDir(layout), 'started.json');
}

/**
 * The merge queue's step of a tick: short. Under the queue's lock (taken
 * without waiting: a held lock is a batch at work) it recovers a batch whose
 * process died, and when approved branches wait and nothing holds the queue,
 * starts the detached queue process (batchMain.ts) that runs the batches.
 */
export async function mergeQueueStep(layout: Layout, config: Config, options: MergeQueueStepOptions): Promise<void> {
  const alive = options.isAlive ?? isProcessAlive;
  const started = await readJsonIfExists<ProcessIdentity>(startedFile(layout));
  if (started && (await alive(started))) return;
  const state = await readQueueState(layout);
  const entries = await approvedEntries(layout);
  if (!state.in_flight && entries.length === 0) return;
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(mergeQueueLock(layout), { waitMs: 0 });
  } catch (err) {
    if (err instanceof LockBusyError) return;
    throw err;
  }
  let work = false;
  try {
    const ctx: QueueContext = {
      layout,
      config,
      clock: options.clock,
      log: options.log,
      owner: await currentProcessIdentity(),
      rework: true,
    };
    const left = (await readQueueState(layout)).in_flight;
    if (left) await recoverBatch(ctx, left);
    work = await worthStarting(layout);
  } finally {
    await lock.release();
  }
  if (!work) return;
  const id = await options.startBatch(layout);
  await writeJsonAtomic(startedFile(layout), { ...id, at: isoSeconds(options.clock.now()) });
  options.log(`merge queue: started its process (pid ${id.pid})`);
}

/** Approved branches wait and the queue is not held by something that has not changed. */
async function worthStarting(layout: Layout): Promise<boolean> {
  const entries = await approvedEntries(layout);
  const { hold } = await readQueueState(layout);
  if (!hold) return entries.length > 0;
  if (hold.kind === 'dirty_base') {
    const holder = await checkedOutIn(layout.root, hold.base);
    return !holder || (await dirtyBase(holder, hold.base)) === undefined;
  }
  // A red base: worth a run once it moved (maybe fixed) or its fix task's branch is approved.
  const sha = await revParse(layout.root, `refs/heads/${hold.base}`);
  return sha !== hold.base_sha || (await fixOfHold(layout, entries, hold)) !== undefined;
}
