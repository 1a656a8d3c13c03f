import { loadConfig } from '../config/load.js';
import type { Actor } from '../core/actor.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { enqueueTask } from '../tasks/enqueue.js';
import { type Lifecycle, taskLifecycle } from '../tasks/lifecycle.js';
import { findTask } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import { createLocalReview, type LocalReview } from './local.js';
import { REVIEW_STATES, type ReviewRecord, type ReviewState } from './record.js';

/**
 * The local review queue (review back end `local`): branches delivered by
 * agents wait here for a person. A rejection becomes a rework task that
 * starts from the same branch, so the work is never thrown away. Approval
 * (src/merge-queue/approve.ts) puts the branch in the merge queue.
 */
async function localReview(layout: Layout): Promise<{ review: LocalReview; maxAttempts: number }> {
  const { config } = await loadConfig(layout);
  const review = createLocalReview({ layout });
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
export async function lifecycleOf(layout: Layout, taskId: string): Promise<Lifecycle | undefined> {
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
