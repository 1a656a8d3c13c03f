import { isoSeconds } from '../core/clock.js';
import { readFixOf } from '../gatekeeper/lineage.js';
import { gitRun } from '../git/run.js';
import { type AdvanceResult, advanceBase, checkedOutIn } from '../review/advanceBase.js';
import { ReviewStore } from '../review/reviewStore.js';
import { stageReworked, stageTask } from '../review/stageTask.js';
import type { QueueContext } from './context.js';
import type { Stacked } from './stack.js';
import { type InFlightBatch, type LandedEntry, updateQueueState } from './state.js';

/**
 * Advance the base to the tested tip in one step (update-ref with the old
 * value, or a fast-forward of a clean checkout: review/advanceBase.ts), then
 * record each branch as merged. The landing is written into the batch first,
 * so a batch killed after the advance is finished by its recovery, and one
 * killed before it left the base where it was: never half a batch.
 */
export async function land(
  ctx: QueueContext,
  batch: InFlightBatch,
  good: Stacked[],
  tip: string,
): Promise<AdvanceResult> {
  const landed: LandedEntry[] = good.map((s) => ({ ...s.entry, merged_head: s.tip }));
  await updateQueueState(ctx.layout, (s) => {
    if (s.in_flight) s.in_flight.landing = { tip, landed };
  });
  const names = good.map((s) => s.entry.branch).join(', ');
  const advanced = await advanceBase(ctx.layout.root, {
    base: batch.base,
    from: batch.base_sha,
    to: tip,
    message: `tickfleet merge queue: ${names}`,
  });
  if (!advanced.ok) {
    await updateQueueState(ctx.layout, (s) => {
      if (s.in_flight) delete s.in_flight.landing;
    });
    return advanced;
  }
  await finishLanding(ctx, tip, landed);
  return advanced;
}

/** The base is at `tip`: every landed branch's review and task say merged. Safe to run again. */
export async function finishLanding(ctx: QueueContext, tip: string, landed: readonly LandedEntry[]): Promise<void> {
  const store = new ReviewStore(ctx.layout);
  const at = isoSeconds(ctx.clock.now());
  for (const entry of landed) {
    await settleBranch(ctx.layout.root, entry.branch, entry.head, entry.merged_head);
    await store.locked(async () => {
      const current = await store.read('approved', entry.review);
      if (!current) return;
      const rewritten = await store.rewrite(current, {
        merged: at,
        merged_head: entry.merged_head,
        merge_error: undefined,
        conflicts: undefined,
        test_log: undefined,
      });
      await store.move(rewritten, 'merged');
    });
    const clock = { clock: ctx.clock };
    // The tasks whose work the branch carries (earlier fix rounds included) are merged with it.
    const origins = (await readFixOf(ctx.layout, entry.task))?.origin_tasks ?? [];
    for (const task of [...origins, entry.task]) await stageTask(ctx.layout, task, 'merged', clock);
    await stageReworked(ctx.layout, entry.task, ctx.clock);
  }
  await updateQueueState(ctx.layout, (s) => {
    s.green_base = tip;
  });
}

/**
 * Point a landed branch at what landed, so it reads as merged; skipped when
 * the branch is checked out somewhere or moved meanwhile.
 */
async function settleBranch(root: string, branch: string, from: string, to: string): Promise<void> {
  if (from === to || (await checkedOutIn(root, branch))) return;
  await gitRun(root, ['update-ref', '-m', 'tickfleet: merged', `refs/heads/${branch}`, to, from], { allowFail: true });
}
