import { isoSeconds } from '../core/clock.js';
import { sendMessage } from '../messages/send.js';
import { type DirtyBase, dirtyCheckout } from '../review/advanceBase.js';
import { enqueueTask } from '../tasks/enqueue.js';
import { MERGE_QUEUE, type QueueContext } from './context.js';
import { type QueueHold, readQueueState, updateQueueState } from './state.js';
import type { TestVerdict } from './testAt.js';

/**
 * The base alone fails the test command: nothing more lands until it passes
 * again. One message and one expedite fix task per hold, however many
 * batches find it red; the queue tests the base again each time it moves
 * (a person's fix) and lands the fix task's branch when it makes the base green.
 */
export async function holdBaseRed(
  ctx: QueueContext,
  base: string,
  baseSha: string,
  verdict: TestVerdict,
): Promise<QueueHold> {
  const held = (await readQueueState(ctx.layout)).hold;
  if (held?.kind === 'base_red') {
    const again = { ...held, base_sha: baseSha };
    await updateQueueState(ctx.layout, (s) => {
      s.hold = again;
    });
    return again;
  }
  const command = ctx.config.review.test_command ?? '';
  const since = isoSeconds(ctx.clock.now());
  const reason = `${base} at ${baseSha.slice(0, 12)} fails \`${command}\` on its own (${verdict.how})`;
  const fix = await enqueueTask(ctx.layout, {
    title: `Make \`${command}\` pass on ${base} again`.slice(0, 200),
    role: 'implement',
    created_by: MERGE_QUEUE,
    priority: 'P0',
    expedite: true,
    max_attempts: ctx.config.tasks.max_attempts,
    body: [
      '## Context',
      '',
      `${reason}. The merge queue holds every approved branch until it passes: nothing lands on a red base.`,
      '',
      'Output (tail):',
      '',
      '```',
      verdict.tail,
      '```',
      '',
      '## Acceptance Criteria',
      '',
      `- [ ] \`${command}\` passes on ${base}`,
      '',
    ].join('\n'),
  });
  const hold: QueueHold = { kind: 'base_red', reason, since, base, base_sha: baseSha, fix_task: fix.id };
  await updateQueueState(ctx.layout, (s) => {
    s.hold = hold;
  });
  await sendMessage(
    ctx.layout,
    {
      type: 'error',
      title: `The merge queue is held: ${base} fails its tests`,
      body: `${reason}.\n\nNothing lands until it passes. Fix task ${fix.id} (expedite) is queued; a fix committed to ${base} by hand works too. The queue tests ${base} again when it moves and resumes by itself.\n\n\`\`\`\n${verdict.tail}\n\`\`\``,
      from: MERGE_QUEUE,
      task: fix.id,
      dedupeKey: `merge-queue:base-red:${since}`,
    },
    { clock: ctx.clock },
  );
  ctx.log(`merge queue: held: ${reason}; fix task ${fix.id}`);
  return hold;
}

/**
 * The base is checked out in a work tree with a person's uncommitted
 * changes: nothing of theirs is touched and no branch is blamed; the queue
 * waits, with one message saying what to do, and goes on once it is clean.
 */
export async function holdDirtyBase(ctx: QueueContext, base: string, dirty: DirtyBase): Promise<QueueHold> {
  const held = (await readQueueState(ctx.layout)).hold;
  if (held?.kind === 'dirty_base') return held;
  const since = isoSeconds(ctx.clock.now());
  const reason = dirtyCheckout(base, dirty.checkout, dirty.changed);
  const hold: QueueHold = { kind: 'dirty_base', reason, since, base, checkout: dirty.checkout };
  await updateQueueState(ctx.layout, (s) => {
    s.hold = hold;
  });
  await sendMessage(
    ctx.layout,
    {
      type: 'warning',
      title: `The merge queue waits for your checkout of ${base}`,
      body: `${reason}.\n\nNothing of yours is moved, stashed or touched, and no branch is blamed. Commit or stash your changes in ${dirty.checkout}; the queue goes on by itself at the next tick.`,
      from: MERGE_QUEUE,
      dedupeKey: `merge-queue:dirty-base:${since}`,
    },
    { clock: ctx.clock },
  );
  ctx.log(`merge queue: waits: ${reason}`);
  return hold;
}

export async function releaseHold(ctx: QueueContext, why: string): Promise<void> {
  await updateQueueState(ctx.layout, (s) => {
    delete s.hold;
  });
  ctx.log(`merge queue: resumes: ${why}`);
}
