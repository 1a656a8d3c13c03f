import type { Clock } from '../../core/clock.js';
import { ExitError } from '../../core/errors.js';
import type { Layout } from '../../core/paths.js';
import { sendMessage } from '../../messages/send.js';
import { taskIdOfBranch } from '../../tasks/branch.js';
import { enqueueTask } from '../../tasks/enqueue.js';
import { findTask } from '../../tasks/list.js';
import { reworkTask } from '../../tasks/rework.js';
import type { Task } from '../../tasks/task.js';
import { GhError } from '../gh.js';
import { failedJobLogs, reviewNotes } from './details.js';
import { type PullEventKind, pendingEvents, remember, reviewKey } from './events.js';
import { ciFixTask, reviewFixTask } from './fixTasks.js';
import { clearJoined, readJoined } from './joined.js';
import { readPullMemories, writePullMemories } from './memory.js';
import type { GhCall } from './poll.js';
import type { PullState } from './pullState.js';
import { setStage } from './stage.js';

export interface FollowOptions {
  gh: GhCall;
  clock: Clock;
  /** tasks.max_attempts for the fix tasks, queue_limits.max_incoming for their enqueue. */
  maxAttempts: number;
  maxIncoming: number;
}

/** One thing the follow step did, as a log line. */
export interface FollowAction {
  pr: number;
  task?: string;
  event: PullEventKind;
  did: string;
}

/**
 * Act on what the poll saw: a merged PR completes its task, a closed one
 * sends the task back for rework (or fails it), requested changes and
 * failing CI become one fix task each. Each event is acted on once per PR
 * and head (memory.ts); an event that could not be acted on (a full queue)
 * is tried again next tick. Only PRs with a new event cost a task read or a
 * gh call.
 */
export async function followPullRequests(
  layout: Layout,
  prs: readonly PullState[],
  options: FollowOptions,
): Promise<FollowAction[]> {
  const memories = await readPullMemories(layout);
  const actions: FollowAction[] = [];
  let moved = false;
  for (const pr of prs) {
    const key = String(pr.number);
    const events = pendingEvents(pr, memories[key]);
    if (events.length === 0) {
      // A new head with nothing to do: remember it, so its events are told from the old head's.
      if (memories[key] && memories[key].head !== pr.headRefOid) {
        memories[key] = remember(pr, memories[key], []);
        moved = true;
      }
      continue;
    }
    const owner = await taskOf(layout, pr);
    // Its task is still being delivered (the PR opened before the task reached done) or waits in the queue: next tick.
    if (owner === 'later') continue;
    const acted: PullEventKind[] = [];
    let reviewsUntil: string | undefined;
    for (const event of events) {
      if (owner === 'none') {
        // Not a PR of a delivered task (an older PR of a task delivered again, a task gone): nothing to do, ever.
        acted.push(event);
        continue;
      }
      try {
        const outcome = await act({ layout, pr, task: owner, options }, event);
        if (outcome.reviewsUntil) reviewsUntil = outcome.reviewsUntil;
        actions.push({ pr: pr.number, task: owner.id, event, did: outcome.did });
        acted.push(event);
      } catch (err) {
        // A full queue, or gh failing on this PR: the event stays pending and is tried again next tick.
        if (!(err instanceof ExitError || err instanceof GhError)) throw err;
        actions.push({ pr: pr.number, task: owner.id, event, did: `not yet: ${err.message}` });
      }
    }
    memories[key] = remember(pr, memories[key], acted, reviewsUntil);
    // Saved at once: what was done must not be done again if a later PR's step throws.
    await writePullMemories(layout, memories, prs);
  }
  if (moved) await writePullMemories(layout, memories, prs);
  return actions;
}

/**
 * The delivered task a PR belongs to: its branch names the task, and the
 * task's result names this PR (or no PR). `later` while the task is queued
 * or claimed (its runner opened the PR and has yet to finish, or it waits to
 * be reworked); `none` when the PR is not (or no longer) its task's.
 */
async function taskOf(layout: Layout, pr: PullState): Promise<Task | 'later' | 'none'> {
  const id = taskIdOfBranch(pr.headRefName);
  if (!id) return 'none';
  let task: Task;
  try {
    task = await findTask(layout, id);
  } catch (err) {
    if (err instanceof ExitError) return 'none';
    throw err;
  }
  if (task.state === 'claimed' || task.state === 'incoming') return 'later';
  if (task.state !== 'done') return 'none';
  const recorded = task.result?.pr;
  if (recorded !== undefined && !samePr(recorded, pr)) return 'none';
  return task;
}

function samePr(recorded: string | number, pr: PullState): boolean {
  const text = String(recorded).trim();
  return text === String(pr.number) || text === pr.url || text.endsWith(`/pull/${pr.number}`);
}

interface Ctx {
  layout: Layout;
  pr: PullState;
  task: Task;
  options: FollowOptions;
}

async function act(ctx: Ctx, event: PullEventKind): Promise<{ did: string; reviewsUntil?: string }> {
  const { layout, pr, task, options } = ctx;
  switch (event) {
    case 'merged': {
      await setStage(layout, task.id, 'merged', options.clock);
      // The fixes pushed onto the PR's branch landed with it.
      const joined = await readJoined(layout, pr.headRefName);
      for (const id of joined)
        await setStage(layout, id, 'merged', options.clock).catch((err: unknown) => {
          // A fix task archived or moved by a person: nothing to move.
          if (!(err instanceof ExitError)) throw err;
        });
      await clearJoined(layout, pr.headRefName, joined);
      return { did: `merged: ${[task.id, ...joined].join(', ')} ${joined.length ? 'are' : 'is'} merged` };
    }
    case 'closed':
      return { did: await closed(ctx) };
    case 'changes_requested': {
      const notes = await reviewNotes(options.gh, pr.number);
      return {
        did: await fileFix(ctx, reviewFixTask({ task, pr, maxAttempts: options.maxAttempts }, notes)),
        reviewsUntil: reviewKey(pr),
      };
    }
    case 'checks_failed':
      return {
        did: await fileFix(
          ctx,
          ciFixTask({ task, pr, maxAttempts: options.maxAttempts }, await failedJobLogs(options.gh, pr)),
        ),
      };
  }
}

async function fileFix(ctx: Ctx, input: Parameters<typeof enqueueTask>[1]): Promise<string> {
  const fix = await enqueueTask(ctx.layout, input, {
    clock: ctx.options.clock,
    limits: { maxIncoming: ctx.options.maxIncoming },
  });
  await setStage(ctx.layout, ctx.task.id, 'changes_requested', ctx.options.clock);
  return `fix task ${fix.id} filed for ${ctx.task.id}`;
}

/** A PR closed unmerged: tickfleet never closes its PRs, so a person did. */
async function closed(ctx: Ctx): Promise<string> {
  const { layout, pr, task, options } = ctx;
  const reason = `PR #${pr.number} closed without merging`;
  const after = await reworkTask(layout, task.id, { reason, branch: pr.headRefName, clock: options.clock });
  const outcome =
    after.state === 'failed'
      ? `${task.id} failed: no attempts left (${after.attempts} of ${after.max_attempts})`
      : `${task.id} goes back for rework on \`${pr.headRefName}\` (attempt ${after.attempts + 1} of ${after.max_attempts})`;
  await sendMessage(
    layout,
    {
      type: 'warning',
      title: `PR #${pr.number} closed without merging`,
      body: `${pr.url} (\`${pr.headRefName}\`) was closed without being merged. ${outcome}.`,
      from: 'tickfleet',
      task: task.id,
      dedupeKey: `pr-closed:${pr.number}`,
    },
    { clock: options.clock },
  );
  return `closed: ${outcome}`;
}
