import type { Layout } from '../core/paths.js';
import { readFixOf } from '../gatekeeper/lineage.js';
import { revParse } from '../git/run.js';
import { checkedOutIn, dirtyBase } from '../review/advanceBase.js';
import { testBase } from './baseCheck.js';
import { type BatchRun, runBatch } from './batch.js';
import type { QueueContext } from './context.js';
import { approvedEntries } from './entries.js';
import { holdDirtyBase, releaseHold } from './hold.js';
import { recoverBatch } from './recover.js';
import { type QueueEntry, type QueueHold, readQueueState, updateQueueState } from './state.js';

export interface QueueRun {
  batches: BatchRun[];
  /** Why the queue stopped with branches still waiting. */
  hold?: QueueHold;
}

/** Batches in a row that landed nothing and blamed nothing (the base kept moving) before the queue leaves it for the next tick. */
const MAX_IDLE_BATCHES = 3;

/**
 * Run the merge queue until nothing approved waits or it is held. The
 * caller holds the merge-queue lock (one queue run at a time, and never
 * beside a `skip_pr` merge). A batch left in flight by a killed process is
 * recovered first.
 */
export async function runQueue(ctx: QueueContext): Promise<QueueRun> {
  const run: QueueRun = { batches: [] };
  const left = (await readQueueState(ctx.layout)).in_flight;
  if (left) await recoverBatch(ctx, left);
  for (let idle = 0; idle < MAX_IDLE_BATCHES; ) {
    const state = await readQueueState(ctx.layout);
    const entries = await approvedEntries(ctx.layout);
    let hold = state.hold;
    if (hold?.kind === 'dirty_base') {
      if (await dirtyNow(ctx, hold.base)) return { ...run, hold };
      await releaseHold(ctx, `${hold.base}'s checkout is clean again`);
      hold = undefined;
    }
    if (hold?.kind === 'base_red') {
      const sha = await revParse(ctx.layout.root, `refs/heads/${hold.base}`);
      if (sha && sha !== hold.base_sha) {
        const verdict = await testBase(ctx, hold.base, sha);
        if (!verdict.green) {
          const moved = { ...hold, base_sha: sha };
          await updateQueueState(ctx.layout, (s) => {
            s.hold = moved;
          });
          return { ...run, hold: moved };
        }
        await updateQueueState(ctx.layout, (s) => {
          s.green_base = sha;
        });
        await releaseHold(ctx, `${hold.base} passes at ${sha.slice(0, 12)}`);
        continue;
      }
      const fix = await fixOfHold(ctx.layout, entries, hold);
      if (!fix) return { ...run, hold };
      const batch = await runBatch(ctx, [fix], { blameBase: false });
      run.batches.push(batch);
      if (batch.record.landed.length === 0) return { ...run, hold };
      await releaseHold(ctx, `the fix ${fix.review} landed and passes`);
      continue;
    }
    if (entries.length === 0) return run;
    const base = entries[0]!.base;
    const dirty = await dirtyNow(ctx, base);
    if (dirty) return { ...run, hold: await holdDirtyBase(ctx, base, dirty) };
    const batch = entries.filter((e) => e.base === base).slice(0, ctx.config.merge_queue.batch_size);
    const done = await runBatch(ctx, batch, { blameBase: true });
    run.batches.push(done);
    if (done.record.outcome === 'held') return { ...run, ...(await heldNow(ctx)) };
    idle = done.record.outcome === 'interrupted' ? idle + 1 : 0;
  }
  return run;
}

async function dirtyNow(ctx: QueueContext, base: string) {
  const holder = await checkedOutIn(ctx.layout.root, base);
  return holder ? dirtyBase(holder, base) : undefined;
}

async function heldNow(ctx: QueueContext): Promise<{ hold?: QueueHold }> {
  const hold = (await readQueueState(ctx.layout)).hold;
  return hold ? { hold } : {};
}

/** While a red base holds the queue, only the branch of its fix task (or a later round of it) may land. */
export async function fixOfHold(
  layout: Layout,
  entries: readonly QueueEntry[],
  hold: QueueHold,
): Promise<QueueEntry | undefined> {
  if (!hold.fix_task) return undefined;
  for (const e of entries) {
    if (e.task === hold.fix_task) return e;
    if ((await readFixOf(layout, e.task))?.origin_tasks.includes(hold.fix_task)) return e;
  }
  return undefined;
}
