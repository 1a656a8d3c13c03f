import type { Outcome } from '../claude/outcome.js';
import { isoSeconds } from '../core/clock.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { LeaseLostError } from '../tasks/lease.js';
import { findTask } from '../tasks/list.js';
import { releaseTask } from '../tasks/release.js';
import { updateTask } from '../tasks/update.js';

/**
 * A failure of tickfleet's own bookkeeping before the model was asked
 * anything: making or reusing the task's worktree, taking the spare. The task
 * did nothing wrong, so it is not charged an attempt.
 */
export class BookkeepingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BookkeepingError';
  }
}

/**
 * How many times a task is sent back uncharged for a bookkeeping
 * failure. Past that the failure is charged like any other, so a fault that
 * keeps coming back ends in failed/ with a message instead of looping unseen.
 */
export const MAX_UNCHARGED_RELEASES = 3;

/** Send the task back without charging an attempt (after the retry backoff), or charge it once the allowance is used. */
export async function settleBookkeeping(ctx: RunContext, err: BookkeepingError, outcome: Outcome): Promise<FollowUp> {
  const { layout, task, token } = ctx;
  if (!task || !token) return { summary: err.message };
  try {
    const current = await findTask(layout, task.id);
    const count = (current.uncharged_releases ?? 0) + 1;
    if (count > MAX_UNCHARGED_RELEASES) {
      return await settleUndelivered(
        ctx,
        outcome,
        `${err.message} (tickfleet's own setup failed ${count} times: charged this time)`,
      );
    }
    await updateTask(
      layout,
      task.id,
      (t) => {
        t.uncharged_releases = count;
      },
      { token },
    );
    const notBefore = isoSeconds(new Date(ctx.clock.now().getTime() + ctx.config.tasks.retry_backoff_seconds * 1000));
    const note = `tickfleet's own setup failed (${count} of ${MAX_UNCHARGED_RELEASES} uncharged): ${err.message}`;
    const released = await releaseTask(layout, task.id, token, { notBefore, note });
    return { summary: `${task.id} back in incoming without charging an attempt: ${note}`, taskState: released.state };
  } catch (e) {
    if (e instanceof LeaseLostError) return { summary: `${err.message}; the task was no longer ours (${e.message})` };
    throw e;
  }
}
