import { loadConfig } from '../config/load.js';
import type { Actor } from '../core/actor.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { enqueueTask } from '../tasks/enqueue.js';
import { type Lifecycle, taskLifecycle } from '../tasks/lifecycle.js';
import { findTask } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import { dirtyCheckout } from './advanceBase.js';
import { createLocalReview, type LocalReview, waitsForPerson } from './local.js';
import type { MergeResult } from './mergeQueue.js';
import { REVIEW_STATES, type ReviewRecord, type ReviewState } from './record.js';

/**
 * The local review queue (review back end `local`): branches delivered by
 * agents wait here for a person. Approval merges through the merge queue
 * (rebase, the project's tests, fast-forward). A rejection, or a merge that
 * fails because of the branch, becomes a rework task that starts from the
 * same branch, so the work is never thrown away. A merge refused because the
 * person's own checkout of the base has uncommitted changes is not the
 * branch's fault: it stays approved and waits, and nothing of theirs is touched.
 */
async function localReview(layout: Layout): Promise<{ review: LocalReview; maxAttempts: number }> {
  const { config } = await loadConfig(layout);
  const review = createLocalReview({
    layout,
    ...(config.review.test_command ? { testCommand: config.review.test_command } : {}),
  });
  return { review, maxAttempts: config.tasks.max_attempts };
}

export function reviewIdOf(idOrTask: string): string {
  return idOrTask.startsWith('REV-') ? idOrTask : `REV-${idOrTask}`;
}

/** The reviews in one state, or (no state) in every state: the back end's own list defaults to pending. */
export async function listReviews(layout: Layout, state?: ReviewState): Promise<ReviewRecord[]> {
  const { review } = await localReview(layout);
  if (state !== undefined) return review.list(state);
  return (await Promise.all(REVIEW_STATES.map((s) => review.list(s)))).flat();
}

export interface ApproveResult {
  record: ReviewRecord;
  merge?: MergeResult;
  /** The rework task created when the merge failed because of the branch. */
  rework?: Task;
  /** Where the reviewed task is now (tasks/lifecycle.ts); absent when its file is gone. */
  lifecycle?: Lifecycle;
  /** Approved, the merge waiting for the person (their checkout of the base has uncommitted changes): what to do, in one line. */
  waiting?: string;
}

export async function approveReview(
  layout: Layout,
  actor: Actor,
  id: string,
  options: { merge?: boolean; rework?: boolean } = {},
): Promise<ApproveResult> {
  const { review, maxAttempts } = await localReview(layout);
  const approved = await review.approve(reviewIdOf(id), { merge: options.merge !== false });
  const lifecycle = await lifecycleOf(layout, approved.record.meta.task);
  const result: ApproveResult = { ...approved, ...(lifecycle ? { lifecycle } : {}) };
  if (result.merge && !result.merge.merged && waitsForPerson(result.merge)) {
    const { id: rev, base } = result.record.meta;
    const dirty = result.merge.dirty;
    const what = dirty ? dirtyCheckout(base, dirty.checkout, dirty.changed) : result.merge.reason;
    const where = dirty?.checkout ?? `the checkout of ${base}`;
    return {
      ...result,
      waiting: `${rev} is approved and waits: ${what}; commit or stash your changes in ${where}, then run \`tickfleet review approve ${rev}\` again`,
    };
  }
  if (result.merge && !result.merge.merged && options.rework !== false) {
    const why = `the merge into ${result.record.meta.base} failed: ${result.merge.reason}`;
    return { ...result, rework: await reworkTask(layout, actor, result.record, why, maxAttempts) };
  }
  return result;
}

export async function rejectReview(
  layout: Layout,
  actor: Actor,
  id: string,
  reason: string,
  options: { rework?: boolean } = {},
): Promise<{ record: ReviewRecord; rework?: Task; lifecycle?: Lifecycle }> {
  if (reason.trim() === '') throw new ExitError(`reject ${id}: say why (--reason), so the rework can address it`);
  const { review, maxAttempts } = await localReview(layout);
  const record = await review.reject(reviewIdOf(id), reason);
  const lifecycle = await lifecycleOf(layout, record.meta.task);
  const result = { record, ...(lifecycle ? { lifecycle } : {}) };
  if (options.rework === false) return result;
  return {
    ...result,
    rework: await reworkTask(layout, actor, record, `the review was rejected: ${reason}`, maxAttempts),
  };
}

/** The reviewed task's lifecycle; undefined when a person removed its file. */
async function lifecycleOf(layout: Layout, taskId: string): Promise<Lifecycle | undefined> {
  try {
    return taskLifecycle(await findTask(layout, taskId));
  } catch (err) {
    if (err instanceof ExitError) return undefined;
    throw err;
  }
}

/** A task for the same role as the original, continuing from the reviewed branch. */
async function reworkTask(
  layout: Layout,
  actor: Actor,
  record: ReviewRecord,
  why: string,
  maxAttempts: number,
): Promise<Task> {
  let role = 'implement';
  let title = record.meta.title;
  try {
    const original = await findTask(layout, record.meta.task);
    role = original.role;
    title = original.title;
  } catch (err) {
    // The original task file is gone (findTask says so as an ExitError): rework as an implement task.
    if (!(err instanceof ExitError)) throw err;
  }
  const task = await enqueueTask(layout, {
    title: `Rework ${record.meta.task}: ${title}`.slice(0, 200),
    role,
    created_by: actor.name,
    priority: 'P1',
    max_attempts: maxAttempts,
    context: `${record.meta.id} for branch \`${record.meta.branch}\`: ${why}.\n\nContinue from that branch (it is already checked out for you) and address this.`,
    acceptance: [
      'the reason above is addressed',
      `the branch merges cleanly into ${record.meta.base} and the tests pass`,
    ],
  });
  return updateTask(layout, task.id, (t) => {
    t.wip_branch = record.meta.branch;
  });
}
