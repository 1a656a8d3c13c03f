import { loadConfig } from '../config/index.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { ReviewRecord, ReviewState } from '../review/record.js';
import { createLocalReview, type LocalReview } from '../review/local.js';
import type { MergeResult } from '../review/mergeQueue.js';
import { enqueueTask, findTask, updateTask, type Task } from '../tasks/index.js';
import type { Actor } from './actor.js';

/**
 * The local review queue (review back end `local`): branches delivered by
 * agents wait here for a person. Approval merges through the merge queue
 * (rebase, the project's tests, fast-forward). A rejection, or a merge that
 * fails, becomes a rework task that starts from the same branch, so the work
 * is never thrown away.
 */
async function localReview(layout: Layout): Promise<{ review: LocalReview; maxAttempts: number }> {
  const { config } = await loadConfig(layout);
  const review = createLocalReview({ layout, ...(config.review.test_command ? { testCommand: config.review.test_command } : {}) });
  return { review, maxAttempts: config.tasks.max_attempts };
}

export function reviewIdOf(idOrTask: string): string {
  return idOrTask.startsWith('REV-') ? idOrTask : `REV-${idOrTask}`;
}

export async function listReviews(layout: Layout, state?: ReviewState): Promise<ReviewRecord[]> {
  const { review } = await localReview(layout);
  return review.list(state);
}

export interface ApproveResult {
  record: ReviewRecord;
  merge?: MergeResult;
  /** The rework task created when the merge failed. */
  rework?: Task;
}

export async function approveReview(layout: Layout, actor: Actor, id: string, options: { merge?: boolean; rework?: boolean } = {}): Promise<ApproveResult> {
  const { review, maxAttempts } = await localReview(layout);
  const result = await review.approve(reviewIdOf(id), { merge: options.merge !== false });
  if (result.merge && !result.merge.merged && options.rework !== false) {
    const why = `the merge into ${result.record.meta.base} failed: ${result.merge.reason}`;
    return { ...result, rework: await reworkTask(layout, actor, result.record, why, maxAttempts) };
  }
  return result;
}

export async function rejectReview(layout: Layout, actor: Actor, id: string, reason: string, options: { rework?: boolean } = {}): Promise<{ record: ReviewRecord; rework?: Task }> {
  if (reason.trim() === '') throw new ExitError(`reject ${id}: say why (--reason), so the rework can address it`);
  const { review, maxAttempts } = await localReview(layout);
  const record = await review.reject(reviewIdOf(id), reason);
  if (options.rework === false) return { record };
  return { record, rework: await reworkTask(layout, actor, record, `the review was rejected: ${reason}`, maxAttempts) };
}

/** A task for the same role as the original, continuing from the reviewed branch. */
async function reworkTask(layout: Layout, actor: Actor, record: ReviewRecord, why: string, maxAttempts: number): Promise<Task> {
  let role = 'implement';
  let title = record.meta.title;
  try {
    const original = await findTask(layout, record.meta.task);
    role = original.role;
    title = original.title;
  } catch {
    // The original task file is gone: rework as an implement task.
  }
  const task = await enqueueTask(layout, {
    title: `Rework ${record.meta.task}: ${title}`.slice(0, 200),
    role,
    created_by: actor.name,
    priority: 'P1',
    max_attempts: maxAttempts,
    context: `${record.meta.id} for branch \`${record.meta.branch}\`: ${why}.\n\nContinue from that branch (it is already checked out for you) and address this.`,
    acceptance: ['the reason above is addressed', `the branch merges cleanly into ${record.meta.base} and the tests pass`],
  });
  return updateTask(layout, task.id, (t) => void (t.wip_branch = record.meta.branch));
}
