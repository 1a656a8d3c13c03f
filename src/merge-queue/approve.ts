import type { Actor } from '../core/actor.js';
import type { Layout } from '../core/paths.js';
import type { DirtyBase } from '../review/advanceBase.js';
import { dirtyCheckout } from '../review/advanceBase.js';
import { lifecycleOf, reviewIdOf } from '../review/byHand.js';
import { createLocalReview } from '../review/local.js';
import type { MergeResult } from '../review/mergeQueue.js';
import type { ReviewRecord } from '../review/record.js';
import { ReviewStore } from '../review/reviewStore.js';
import type { Lifecycle } from '../tasks/lifecycle.js';
import type { Task } from '../tasks/task.js';
import type { EntryOutcome } from './batch.js';
import { drainQueue } from './drain.js';
import type { QueueHold } from './state.js';

export interface ApproveResult {
  record: ReviewRecord;
  merge?: MergeResult;
  /** The fix task made when the branch went back from the merge queue (a red test or a conflict). */
  rework?: Task;
  /** Where the reviewed task is now (tasks/lifecycle.ts); absent when its file is gone. */
  lifecycle?: Lifecycle;
  /** Approved, the merge waiting for the person (their checkout of the base has uncommitted changes): what to do, in one line. */
  waiting?: string;
}

/**
 * A person's approval puts the branch in the merge queue, the same queue the
 * tick runs: this waits for the batch in flight, then runs the queue here
 * until this branch's batch is done (or the queue is held) and says what
 * became of it. A branch that goes back gets its fix task from the queue.
 */
export async function approveReview(
  layout: Layout,
  actor: Actor,
  id: string,
  options: { merge?: boolean; rework?: boolean } = {},
): Promise<ApproveResult> {
  const review = createLocalReview({ layout });
  const approved = await review.approve(reviewIdOf(id));
  if (options.merge === false) return withLifecycle(layout, { record: approved.record });
  const reviewId = approved.record.meta.id;
  const run = await drainQueue(layout, { rework: options.rework !== false, actor: actor.name });
  // The last batch that had it says where it is (an earlier one may have been interrupted by a moving base).
  const outcome = run.batches
    .map((b) => b.outcomes.get(reviewId))
    .filter((o) => o !== undefined)
    .at(-1);
  const record = (await new ReviewStore(layout).find(reviewId, ['approved', 'pending', 'merged'])) ?? approved.record;
  const result = await withLifecycle(layout, { record, merge: mergeResult(outcome, run.hold) });
  if (outcome && !outcome.landed && outcome.code !== 'waiting' && outcome.fixTask) result.rework = outcome.fixTask;
  const dirty = result.merge && !result.merge.merged ? result.merge.dirty : undefined;
  if (dirty) {
    const what = dirtyCheckout(record.meta.base, dirty.checkout, dirty.changed);
    result.waiting = `${reviewId} is approved and waits: ${what}; commit or stash your changes in ${dirty.checkout}, then run \`tickfleet review approve ${reviewId}\` again`;
  }
  return result;
}

function mergeResult(outcome: EntryOutcome | undefined, hold: QueueHold | undefined): MergeResult {
  if (outcome?.landed)
    return {
      merged: true,
      head: outcome.head,
      previous: outcome.previous,
      ...(outcome.testLog ? { testLog: outcome.testLog } : {}),
    };
  if (outcome && outcome.code !== 'waiting')
    return {
      merged: false,
      code: outcome.code,
      reason: outcome.reason,
      ...(outcome.conflicts ? { conflicts: outcome.conflicts } : {}),
      ...(outcome.testLog ? { testLog: outcome.testLog } : {}),
    };
  const dirty: DirtyBase | undefined =
    outcome?.dirty ??
    (hold?.kind === 'dirty_base' && hold.checkout
      ? { reason: hold.reason, checkout: hold.checkout, changed: changedOf(hold.reason) }
      : undefined);
  if (dirty) return { merged: false, code: 'dirty_base', reason: dirty.reason, dirty };
  return { merged: false, code: 'held', reason: outcome?.reason ?? hold?.reason ?? 'the merge queue did not reach it' };
}

/** The paths a dirty hold's reason names (`... with uncommitted changes (a, b)`). */
function changedOf(reason: string): string[] {
  const list = /uncommitted changes \(([^)]*)\)/.exec(reason)?.[1];
  return list ? list.split(', ').filter((p) => p !== '...') : [];
}

async function withLifecycle(layout: Layout, result: ApproveResult): Promise<ApproveResult> {
  const lifecycle = await lifecycleOf(layout, result.record.meta.task);
  return { ...result, ...(lifecycle ? { lifecycle } : {}) };
}
