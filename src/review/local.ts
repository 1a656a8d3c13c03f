import path from 'node:path';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { type GitIdentity, revParse } from '../git/run.js';
import type { DeliveryStage } from '../tasks/stage.js';
import type { ReviewBackend, ReviewRequest, SubmittedReview } from './backend.js';
import { type MergeResult, mergeBranch } from './mergeQueue.js';
import { REVIEW_STATES, type ReviewMeta, type ReviewRecord, type ReviewState, reviewBody } from './record.js';
import { ReviewStore, reviewId } from './reviewStore.js';
import { stageReworked as stageReworkedOf, stageTask as stageTaskOf } from './stageTask.js';

export interface LocalReviewOptions {
  layout: Layout;
  clock?: Clock;
  /** The project's test command, run by the merge queue before a merge. */
  testCommand?: string;
  testTimeoutMs?: number;
  /** Committer of rebased commits. */
  identity?: GitIdentity;
}

export interface LocalReview extends ReviewBackend {
  readonly kind: 'local';
  list(state?: ReviewState): Promise<ReviewRecord[]>;
  get(id: string): Promise<ReviewRecord | undefined>;
  /**
   * Approve, then (unless `merge: false`) merge through the merge queue. A
   * failed merge sends it back to pending with the reason, except one that
   * waits for a person (waitsForPerson): that stays approved, and approving it
   * again retries the merge.
   */
  approve(id: string, options?: { merge?: boolean }): Promise<{ record: ReviewRecord; merge?: MergeResult }>;
  reject(id: string, reason: string): Promise<ReviewRecord>;
  /** Merge every approved record, oldest approval first (after a crash between approval and merge). */
  mergeApproved(): Promise<{ id: string; merge: MergeResult }[]>;
}

/**
 * A merge refused because of the person's own checkout (the base checked out
 * with uncommitted changes) says nothing about the branch: the review stays
 * approved and waits for them, and no rework is asked of the agent.
 */
export function waitsForPerson(merge: Extract<MergeResult, { merged: false }>): boolean {
  return merge.code === 'dirty_base';
}

/**
 * A review queue on disk for repositories without GitHub: one markdown record
 * per branch, pending → approved → merged, or pending → rejected. Approval
 * merges only the commit that was submitted.
 */
export function createLocalReview(options: LocalReviewOptions): LocalReview {
  const { layout } = options;
  const store = new ReviewStore(layout);
  const now = () => isoSeconds((options.clock ?? systemClock).now());

  const clockOpt = options.clock ? { clock: options.clock } : {};
  const stageTask = (taskId: string, stage: DeliveryStage, reason?: string) =>
    stageTaskOf(layout, taskId, stage, { ...clockOpt, ...(reason ? { reason } : {}) });
  const stageReworked = (taskId: string) => stageReworkedOf(layout, taskId, options.clock);

  async function mergeOne(record: ReviewRecord): Promise<{ record: ReviewRecord; merge: MergeResult }> {
    const taskId = record.meta.task;
    const merge = await mergeBranch(layout, {
      onMerging: () => stageTask(taskId, 'merging'),
      branch: record.meta.branch,
      base: record.meta.base,
      expectedHead: record.meta.head,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.testCommand ? { testCommand: options.testCommand } : {}),
      ...(options.testTimeoutMs ? { testTimeoutMs: options.testTimeoutMs } : {}),
      ...(options.identity ? { identity: options.identity } : {}),
    }).catch(async (err: unknown) => {
      // The review stays approved (mergeApproved retries it): so does its task.
      await stageTask(taskId, 'approved');
      throw err;
    });
    const done = await store.locked(async () => {
      const current = await store.read('approved', record.meta.id);
      // Another process settled it meanwhile (a concurrent mergeApproved): report where it is now.
      if (!current) return (await store.find(record.meta.id, REVIEW_STATES)) ?? record;
      if (!merge.merged && waitsForPerson(merge))
        return store.rewrite(current, { merge_error: merge.reason, conflicts: undefined, test_log: undefined });
      const outcome: Partial<ReviewMeta> = merge.merged
        ? {
            merged: now(),
            merged_head: merge.head,
            merge_error: undefined,
            conflicts: undefined,
            test_log: merge.testLog,
          }
        : { merge_error: merge.reason, conflicts: merge.conflicts, test_log: merge.testLog, approved: undefined };
      return store.move(await store.rewrite(current, outcome), merge.merged ? 'merged' : 'pending');
    });
    if (done.state === 'merged') {
      await stageTask(taskId, 'merged');
      await stageReworked(taskId);
    } else if (done.state === 'approved') await stageTask(taskId, 'approved');
    else if (done.state === 'pending' && !merge.merged)
      await stageTask(taskId, 'in_review', `the merge failed: ${merge.reason}`);
    return { record: done, merge };
  }

  return {
    kind: 'local',

    async submit(request: ReviewRequest): Promise<SubmittedReview> {
      const id = reviewId(request.taskId);
      const head = await revParse(layout.root, `refs/heads/${request.branch}`);
      if (!head)
        throw new ExitError(
          `cannot submit ${request.taskId} for review: branch ${request.branch} does not exist in ${layout.root}`,
        );
      // The record is the review entry: it is written only while the task is still the submitter's.
      const write = () =>
        store.locked(async () => {
          if (await store.read('approved', id))
            throw new ExitError(
              `${id} is approved and being merged; wait for the merge before submitting ${request.branch} again`,
            );
          const meta: ReviewMeta = {
            id,
            task: request.taskId,
            branch: request.branch,
            base: request.base,
            head,
            title: request.title,
            created: now(),
          };
          // A resubmission (after a fix) replaces the pending record: same review, new head.
          const existing = await store.read('pending', id);
          const file = path.join(store.dir('pending'), `${id}.md`);
          await store.write(
            file,
            existing ? { ...meta, created: existing.meta.created, updated: now() } : meta,
            reviewBody(request.title, request.body),
            existing !== undefined,
          );
          return { id, file };
        });
      return request.fence ? request.fence(write) : write();
    },

    async openCount(): Promise<number> {
      // Approved but not yet merged is still open work, as an approved PR is.
      return (await store.ids('pending')).length + (await store.ids('approved')).length;
    },

    list: (state = 'pending') => store.list(state),

    get: (id) => store.find(id, REVIEW_STATES),

    async approve(id, approveOptions = {}) {
      const record = await store.locked(async () => {
        const found = await store.find(id, ['pending', 'approved']);
        if (!found)
          throw new ExitError(
            `no pending review ${reviewId(id)} in ${store.dir('pending')}; only pending reviews can be approved`,
          );
        // Approved already, its merge waiting on a person's checkout: approving again retries the merge.
        if (found.state === 'approved') return found;
        return store.move(
          await store.rewrite(found, {
            approved: now(),
            merge_error: undefined,
            conflicts: undefined,
            test_log: undefined,
          }),
          'approved',
        );
      });
      await stageTask(record.meta.task, 'approved');
      if (approveOptions.merge === false) return { record };
      return mergeOne(record);
    },

    async reject(id, reason) {
      const rejected = await store.locked(async () => {
        const pending = await store.find(id, ['pending']);
        if (!pending)
          throw new ExitError(
            `no pending review ${reviewId(id)} in ${store.dir('pending')}; only pending reviews can be rejected`,
          );
        return store.move(await store.rewrite(pending, { rejected: now(), reason }), 'rejected');
      });
      await stageTask(rejected.meta.task, 'changes_requested', reason);
      return rejected;
    },

    async mergeApproved() {
      const approved = (await store.list('approved')).sort((a, b) =>
        String(a.meta.approved ?? '').localeCompare(String(b.meta.approved ?? '')),
      );
      const results: { id: string; merge: MergeResult }[] = [];
      for (const record of approved) results.push({ id: record.meta.id, merge: (await mergeOne(record)).merge });
      return results;
    },
  };
}
