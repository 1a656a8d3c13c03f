import path from 'node:path';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { revParse } from '../git/run.js';
import type { DeliveryStage } from '../tasks/stage.js';
import type { ReviewBackend, ReviewRequest, SubmittedReview } from './backend.js';
import { REVIEW_STATES, type ReviewMeta, type ReviewRecord, type ReviewState, reviewBody } from './record.js';
import { ReviewStore, reviewId } from './reviewStore.js';
import { stageTask as stageTaskOf } from './stageTask.js';

export interface LocalReviewOptions {
  layout: Layout;
  clock?: Clock;
}

export interface LocalReview extends ReviewBackend {
  readonly kind: 'local';
  list(state?: ReviewState): Promise<ReviewRecord[]>;
  get(id: string): Promise<ReviewRecord | undefined>;
  /**
   * Approve a pending review: it moves to approved/, where the merge queue
   * (src/merge-queue/) takes it, oldest approval first. Approving one that is
   * approved already changes nothing (it is still waiting for the queue).
   */
  approve(id: string): Promise<{ record: ReviewRecord }>;
  reject(id: string, reason: string): Promise<ReviewRecord>;
}

/**
 * A review queue on disk for repositories without GitHub: one markdown record
 * per branch, pending → approved → merged, or pending → rejected. The merge
 * queue merges only the commit that was submitted.
 */
export function createLocalReview(options: LocalReviewOptions): LocalReview {
  const { layout } = options;
  const store = new ReviewStore(layout);
  const now = () => isoSeconds((options.clock ?? systemClock).now());
  const clockOpt = options.clock ? { clock: options.clock } : {};
  const stageTask = (taskId: string, stage: DeliveryStage, reason?: string) =>
    stageTaskOf(layout, taskId, stage, { ...clockOpt, ...(reason ? { reason } : {}) });

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

    async approve(id) {
      const { record, fresh } = await store.locked(async () => {
        const found = await store.find(id, ['pending', 'approved']);
        if (!found)
          throw new ExitError(
            `no pending review ${reviewId(id)} in ${store.dir('pending')}; only pending reviews can be approved`,
          );
        // Approved already, waiting in the merge queue (a person's checkout, a held queue): nothing to change.
        if (found.state === 'approved') return { record: found, fresh: false };
        const moved = await store.move(
          await store.rewrite(found, {
            approved: now(),
            merge_error: undefined,
            conflicts: undefined,
            test_log: undefined,
          }),
          'approved',
        );
        return { record: moved, fresh: true };
      });
      // A task already in the queue keeps its stage (it may be merging in a batch right now).
      if (fresh) await stageTask(record.meta.task, 'approved');
      return { record };
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
  };
}
