import { isoSeconds } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { readFixOf, recordFix } from '../gatekeeper/lineage.js';
import { ReviewStore } from '../review/reviewStore.js';
import { stageTask } from '../review/stageTask.js';
import { enqueueTask } from '../tasks/enqueue.js';
import { findTask } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import { MERGE_QUEUE, type QueueContext } from './context.js';
import type { QueueEntry } from './state.js';

/** Why a branch leaves the batch without landing. */
export interface GoingBack {
  code: 'tests_failed' | 'conflict' | 'branch_moved' | 'missing' | 'error';
  reason: string;
  /** The batch it was in, by review id, in stacking order. */
  batch: readonly QueueEntry[];
  batchId: string;
  conflicts?: string[];
  /** The failing run's log and its tail. */
  log?: string;
  tail?: string;
}

const TAIL_LINES = 30;

/**
 * A branch that does not land goes back: its review to pending with the
 * reason, its task to in review, and (for a red test or a conflict) one fix
 * task on its own branch carrying the failing output's tail and the batch.
 * A branch that moved or vanished since its approval gets no task: its new
 * head is submitted again by whoever moved it. Returns the fix task.
 */
export async function sendBack(ctx: QueueContext, entry: QueueEntry, why: GoingBack): Promise<Task | undefined> {
  const store = new ReviewStore(ctx.layout);
  const moved = await store.locked(async () => {
    const current = await store.read('approved', entry.review);
    if (!current) return false;
    await store.move(
      await store.rewrite(current, {
        merge_error: why.reason,
        conflicts: why.conflicts && why.conflicts.length > 0 ? why.conflicts : undefined,
        test_log: why.log,
        approved: undefined,
      }),
      'pending',
    );
    return true;
  });
  if (!moved) return undefined;
  await stageTask(ctx.layout, entry.task, 'in_review', { clock: ctx.clock, reason: `the merge failed: ${why.reason}` });
  ctx.log(`merge queue: ${entry.review} goes back: ${why.reason}`);
  if (!ctx.rework || (why.code !== 'tests_failed' && why.code !== 'conflict')) return undefined;
  return fixTask(ctx, entry, why);
}

async function fixTask(ctx: QueueContext, entry: QueueEntry, why: GoingBack): Promise<Task> {
  const original = await findTask(ctx.layout, entry.task).catch((err: unknown) => {
    // The original task file is gone (findTask says so as an ExitError): the fix is an implement task.
    if (err instanceof ExitError) return undefined;
    throw err;
  });
  const what = why.code === 'conflict' ? 'the conflict' : 'the failing tests';
  const created = await enqueueTask(ctx.layout, {
    title: `Fix ${what} of ${entry.task} in the merge queue${original ? `: ${original.title}` : ''}`.slice(0, 200),
    role: original?.role ?? 'implement',
    created_by: ctx.actor ?? MERGE_QUEUE,
    priority: 'P1',
    max_attempts: ctx.config.tasks.max_attempts,
    body: fixBody(entry, why),
  });
  const task = await updateTask(ctx.layout, created.id, (t) => {
    t.wip_branch = entry.branch;
  });
  // Recorded as a fix round of the review, so a gatekeeper sees its delivery as this work's next round.
  const before = await readFixOf(ctx.layout, entry.task);
  const round = (before?.round ?? 0) + 1;
  await recordFix(
    ctx.layout,
    entry.review,
    { task: task.id, head: entry.head, round, at: isoSeconds(ctx.clock.now()) },
    { of: entry.review, round, origin_tasks: [...(before?.origin_tasks ?? []), entry.task] },
  );
  return task;
}

function fixBody(entry: QueueEntry, why: GoingBack): string {
  const others = why.batch.filter((e) => e.review !== entry.review);
  const lines = [
    '## Context',
    '',
    `${entry.review} (branch \`${entry.branch}\` at ${entry.head.slice(0, 12)}): the merge into ${entry.base} failed: ${why.reason}.`,
    '',
    `It was in merge-queue batch ${why.batchId} with ${others.length === 0 ? 'no other branch' : others.map((e) => `${e.review} (\`${e.branch}\`)`).join(', ')}.`,
    '',
    why.code === 'conflict'
      ? `Continue from that branch (it is already checked out for you), merge ${entry.base} into it and resolve the conflicts.`
      : 'Continue from that branch (it is already checked out for you) and make the tests pass on it.',
  ];
  if (why.conflicts && why.conflicts.length > 0)
    lines.push('', 'Conflicting paths:', '', ...why.conflicts.map((p) => `- \`${p}\``));
  if (why.tail) {
    lines.push('', 'Output (tail):', '', '```', why.tail.split('\n').slice(-TAIL_LINES).join('\n'), '```');
    if (why.log) lines.push('', `Full log: \`${why.log}\``);
  }
  lines.push(
    '',
    '## Acceptance Criteria',
    '',
    '- [ ] the reason above is addressed',
    `- [ ] the branch merges cleanly into ${entry.base} and the tests pass`,
  );
  return `${lines.join('\n')}\n`;
}
