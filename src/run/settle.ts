import type { Outcome } from '../claude/outcome.js';
import { isoSeconds } from '../core/clock.js';
import { PAUSE_MESSAGE_KEY, pauseFleet } from '../fleet/pause.js';
import { sendMessage } from '../messages/send.js';
import { failTask } from '../tasks/fail.js';
import { LeaseLostError } from '../tasks/lease.js';
import { releaseTask } from '../tasks/release.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import type { FollowUp, RunContext } from './context.js';
import { keepPartialWork } from './deliverBranch.js';

/**
 * A run that did not deliver: keep its partial work on the task's branch, then
 * send the task back for another attempt (or to failed/ once attempts are used
 * up). A usage or rate limit is the account's problem, not the task's: the
 * task goes back without being charged an attempt and the whole fleet pauses.
 */
export async function settleUndelivered(
  ctx: RunContext,
  outcome: Outcome,
  why: string = outcome.reason,
): Promise<FollowUp> {
  const { layout, task, token } = ctx;
  // One moment for the fleet pause and for the task's not_before, so they agree to the second.
  const pausedUntil =
    outcome.kind === 'usage_limit' || outcome.kind === 'endpoint_unreachable'
      ? await pauseForQuota(ctx, outcome)
      : undefined;
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
    if (saved)
      await updateTask(
        layout,
        task.id,
        (t) => {
          t.wip_branch = saved;
        },
        { token },
      );
    const note = saved ? `${why}; partial work kept on ${saved}` : why;
    if (pausedUntil) {
      const released = await releaseTask(layout, task.id, token, { notBefore: pausedUntil, note });
      return {
        summary: `${task.id} back in incoming without charging an attempt (${note})`,
        taskState: released.state,
      };
    }
    const after = await failTask(layout, task.id, token, {
      error: note,
      retry: true,
      backoffSeconds: ctx.config.tasks.retry_backoff_seconds,
      clock: ctx.clock,
    });
    if (after.state === 'failed') await reportFailedForGood(ctx, after);
    const where =
      after.state === 'failed'
        ? 'failed for good'
        : `back in incoming (attempt ${after.attempts} of ${after.max_attempts} used)`;
    return { summary: `${task.id} ${where}: ${note}`, taskState: after.state };
  } catch (err) {
    if (err instanceof LeaseLostError) return { summary: `${why}; the task was no longer ours (${err.message})` };
    throw err;
  }
}

type FleetOutcome = Extract<Outcome, { kind: 'usage_limit' | 'endpoint_unreachable' }>;

function quotaPauseUntil(ctx: RunContext, outcome: FleetOutcome): string {
  if (
    outcome.kind === 'usage_limit' &&
    outcome.resetsAt &&
    new Date(outcome.resetsAt).getTime() > ctx.clock.now().getTime()
  )
    return isoSeconds(new Date(outcome.resetsAt));
  return isoSeconds(new Date(ctx.clock.now().getTime() + ctx.config.quota.backoff_minutes * 60_000));
}

/**
 * Pause the fleet (or find it paused already, until later); returns when the
 * pause ends. A dead endpoint pauses it too: every agent would fail the same
 * way within seconds, and the task is not to blame, so it is released
 * without charge rather than failed.
 */
async function pauseForQuota(ctx: RunContext, outcome: FleetOutcome): Promise<string> {
  const until = quotaPauseUntil(ctx, outcome);
  const pause = await pauseFleet(ctx.layout, {
    until,
    reason: outcome.reason,
    since: isoSeconds(ctx.clock.now()),
    agent: ctx.agent.name,
    run_id: ctx.runId,
  });
  ctx.log(`fleet paused until ${pause.until}: ${outcome.reason}`);
  // One message per pause, however many agents hit it; resume-fleet removes it by this key.
  const key = `${PAUSE_MESSAGE_KEY}${pause.until}`;
  await sendMessage(
    ctx.layout,
    {
      ...pauseMessage(ctx, outcome, pause.until),
      from: ctx.agent.name,
      ...(ctx.task ? { task: ctx.task.id } : {}),
      dedupeKey: key,
    },
    { clock: ctx.clock },
  );
  return pause.until;
}

function pauseMessage(
  ctx: RunContext,
  outcome: FleetOutcome,
  until: string,
): { type: 'warning'; title: string; body: string } {
  const after = `No agent will start before ${until}. Running agents finish their current run. Tasks sent back because of it were not charged an attempt, and wait until then.\n\nTo resume earlier: \`tickfleet resume-fleet\` (it frees those tasks too).`;
  if (outcome.kind === 'endpoint_unreachable') {
    return {
      type: 'warning',
      title: `Fleet paused until ${until}: API endpoint unreachable (${outcome.url})`,
      body: `${ctx.agent.name} could not reach the API endpoint: ${outcome.reason}.\n\nThis is not the task's fault: it was released without charge. Check ANTHROPIC_BASE_URL (environment or claude.env in agents.yaml) and that the server behind it runs; \`tickfleet doctor\` checks it.\n\n${after}`,
    };
  }
  const what =
    outcome.limit === 'usage'
      ? "hit a usage limit: the account's quota (a subscription's window, or its credit) is used up"
      : 'hit a rate limit: the API refused requests for going too fast (HTTP 429)';
  const reset = outcome.resetsAt
    ? `The client reports that it resets at ${outcome.resetsAt}.`
    : `The client named no reset time, so the pause lasts quota.backoff_minutes (${ctx.config.quota.backoff_minutes} min).`;
  return {
    type: 'warning',
    title: `Fleet paused until ${until}: ${outcome.limit} limit`,
    body: `${ctx.agent.name} ${what} (${outcome.reason}).\n\n${reset}\n\n${after}`,
  };
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
