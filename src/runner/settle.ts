import type { Outcome } from '../claude/index.js';
import { isoSeconds } from '../core/clock.js';
import { pauseFleet } from '../fleet/pause.js';
import { sendMessage } from '../messages/index.js';
import { failTask, LeaseLostError, releaseTask, updateTask, type Task } from '../tasks/index.js';
import type { FollowUp, RunContext } from './context.js';
import { keepPartialWork } from './deliverBranch.js';

/**
 * A run that did not deliver: keep its partial work on the task's branch, then
 * send the task back for another attempt (or to failed/ once attempts are used
 * up). A usage or rate limit is the account's problem, not the task's: the
 * task goes back without being charged an attempt and the whole fleet pauses.
 */
export async function settleUndelivered(ctx: RunContext, outcome: Outcome, why: string = outcome.reason): Promise<FollowUp> {
  const { layout, task, token } = ctx;
  // One moment for the fleet pause and for the task's not_before, so they agree to the second.
  const pausedUntil = outcome.kind === 'usage_limit' ? await pauseForQuota(ctx, outcome) : undefined;
  if (!task || !token) return { summary: why };

  let saved: string | undefined;
  if (ctx.workspace) {
    try {
      saved = await keepPartialWork(ctx.workspace, task, why, ctx.identity);
    } catch (err) {
      ctx.log(`could not save partial work: ${(err as Error).message} (the worktree is kept)`);
    }
  }
  try {
    if (saved) await updateTask(layout, task.id, (t) => void (t.wip_branch = saved), { token });
    const note = saved ? `${why}; partial work kept on ${saved}` : why;
    if (pausedUntil) {
      const released = await releaseTask(layout, task.id, token, { notBefore: pausedUntil, note });
      return { summary: `${task.id} back in incoming without charging an attempt (${note})`, taskState: released.state };
    }
    const after = await failTask(layout, task.id, token, { error: note, retry: true, backoffSeconds: ctx.config.tasks.retry_backoff_seconds, clock: ctx.clock });
    if (after.state === 'failed') await reportFailedForGood(ctx, after);
    const where = after.state === 'failed' ? 'failed for good' : `back in incoming (attempt ${after.attempts} of ${after.max_attempts} used)`;
    return { summary: `${task.id} ${where}: ${note}`, taskState: after.state };
  } catch (err) {
    if (err instanceof LeaseLostError) return { summary: `${why}; the task was no longer ours (${err.message})` };
    throw err;
  }
}

function quotaPauseUntil(ctx: RunContext, outcome: Extract<Outcome, { kind: 'usage_limit' }>): string {
  if (outcome.resetsAt && new Date(outcome.resetsAt).getTime() > ctx.clock.now().getTime()) return isoSeconds(new Date(outcome.resetsAt));
  return isoSeconds(new Date(ctx.clock.now().getTime() + ctx.config.quota.backoff_minutes * 60_000));
}

/** Pause the fleet (or find it paused already, until later); returns when the pause ends. */
async function pauseForQuota(ctx: RunContext, outcome: Extract<Outcome, { kind: 'usage_limit' }>): Promise<string> {
  const until = quotaPauseUntil(ctx, outcome);
  const pause = await pauseFleet(ctx.layout, { until, reason: outcome.reason, since: isoSeconds(ctx.clock.now()), agent: ctx.agent.name, run_id: ctx.runId });
  ctx.log(`fleet paused until ${pause.until}: ${outcome.reason}`);
  await sendMessage(
    ctx.layout,
    {
      type: 'warning',
      title: `Fleet paused until ${pause.until}: usage limit`,
      body: `${ctx.agent.name} hit a rate or usage limit (${outcome.reason}).\n\nNo agent will start before ${pause.until}. Running agents finish their current run. Tasks sent back because of the limit were not charged an attempt.\n\nTo resume earlier: \`tickfleet resume-fleet\`.`,
      from: ctx.agent.name,
      ...(ctx.task ? { task: ctx.task.id } : {}),
      // One message per pause, however many agents hit the same limit.
      dedupeKey: `quota-pause:${pause.until}`,
    },
    { clock: ctx.clock },
  );
  return pause.until;
}

async function reportFailedForGood(ctx: RunContext, task: Task): Promise<void> {
  await sendMessage(
    ctx.layout,
    {
      type: 'error',
      title: `${task.id} failed after ${task.attempts} attempts: ${task.title}`,
      body: `The last attempt (${ctx.agent.name}, run ${ctx.runId}) ended: ${task.error ?? 'unknown error'}.\n\n${task.wip_branch ? `Its partial work is on branch \`${task.wip_branch}\`.\n\n` : ''}Retry it with \`tickfleet retry-failed ${task.id}\` once the cause is fixed.`,
      from: ctx.agent.name,
      task: task.id,
      dedupeKey: `failed:${task.id}:${task.attempts}`,
    },
    { clock: ctx.clock },
  );
}
