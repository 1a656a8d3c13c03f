import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { fetchBase } from '../git/base.js';
import { mergeInto } from '../git/merge.js';
import { pushBranch } from '../git/push.js';
import { rebaseOnto } from '../git/rebase.js';
import { removeWorktree } from '../git/remove.js';
import type { GitIdentity } from '../git/run.js';
import { saveWip } from '../git/wip.js';
import { inspectWork } from '../git/workState.js';
import { mergeBranch } from '../review/mergeQueue.js';
import { recordJoined } from '../review/pulls/joined.js';
import { selectReviewBackend } from '../review/select.js';
import { isTickfleetBranch, taskBranch, taskIdOfBranch } from '../tasks/branch.js';
import { setTaskStage } from '../tasks/setStage.js';
import type { DeliveryStage } from '../tasks/stage.js';
import type { Task, TaskResult } from '../tasks/task.js';
import type { Fence } from '../tasks/withFence.js';
import type { Workspace } from './context.js';

export type Delivery =
  /** `stage`: where the branch is now, recorded as the task completes (merged for skip_pr, else in_review). */
  | { kind: 'delivered'; result: TaskResult; summary: string; stage: DeliveryStage }
  | { kind: 'no_commits'; reason: string }
  | { kind: 'conflict'; branch: string; conflicts: string[]; reason: string }
  | { kind: 'merge_refused'; branch: string; reason: string };

export interface DeliverInput {
  layout: Layout;
  config: Config;
  task: Task;
  workspace: Workspace & { worktree: NonNullable<Workspace['worktree']> };
  identity: GitIdentity;
  /** The model's final summary, for the PR body. */
  summary: string;
  /** The task's lease: every effect others can see goes through it (see tasks/withFence.ts). */
  fence: Fence;
}

/**
 * The implementer's path after a successful run: keep anything left
 * uncommitted, put the work on `agent/<task-id>`, rebase it onto the freshly
 * fetched base, then push and open a PR (github), queue it for local review
 * (local), or merge it after the project's tests (skip_pr). A fix for an
 * open PR (github back end, the task's base a tickfleet branch) is pushed
 * onto the PR's own branch instead, so the PR gets the new head and its
 * checks run again; no second PR. The branch always survives: a conflict or
 * a refused merge leaves it as it was.
 *
 * No effect outlives the lease: the base's advance (skip_pr), the review
 * record and `gh pr create` each run under the task's fence, so a run whose
 * task was cancelled or reclaimed meanwhile stops with LeaseLostError and
 * leaves only its branch. The push of the branch is too long to hold the
 * queue lock over; the lease is checked fresh just before it.
 */
export async function deliverBranch(input: DeliverInput): Promise<Delivery> {
  const { layout, config, task, workspace, identity, fence } = input;
  const wt = workspace.worktree.path;
  const branch = taskBranch(task.id);

  // The model was told to commit; whatever it left uncommitted is still its work.
  await saveWip(wt, { branch, message: `${task.id}: changes left uncommitted at the end of the run`, identity });
  const base = await fetchBase(layout.root, workspace.remote, workspace.base, {
    preferLocal: workspace.mergesLocally === true,
  });
  const work = await inspectWork(wt, { base: base.ref });
  if (work.commitsAhead === 0) {
    return { kind: 'no_commits', reason: 'the run ended successfully but committed nothing' };
  }

  const integrated = await integrateBase(wt, base.ref, workspace.base, identity);
  if (!integrated.ok) return { kind: 'conflict', branch, conflicts: integrated.conflicts, reason: integrated.reason };
  await saveWip(wt, { branch, message: `${task.id}: rebased`, identity });
  const head = integrated.head;
  const commits = (await inspectWork(wt, { base: base.ref })).commits;
  const result: TaskResult = { branch, head, base: workspace.base, commits: commits.length };

  if (task.skip_pr) {
    const merged = await mergeBranch(layout, {
      branch,
      base: workspace.base,
      expectedHead: head,
      identity,
      fence,
      ...(config.review.test_command ? { testCommand: config.review.test_command } : {}),
    });
    if (!merged.merged) return { kind: 'merge_refused', branch, reason: merged.reason };
    // The merge landed while the task was this run's; publishing the base is the rest of that step.
    if (workspace.remote) await pushBranch(layout.root, { remote: workspace.remote, branch: workspace.base });
    // Best effort: a worktree that cannot go now (busy, dirty) is swept later by reconcile's orphan cleanup.
    await removeWorktree(layout.root, wt).catch(() => undefined);
    return {
      kind: 'delivered',
      result: { ...result, merged: merged.head },
      summary: `merged into ${workspace.base} at ${merged.head.slice(0, 12)}`,
      stage: 'merged',
    };
  }

  const { backend } = await selectReviewBackend(layout.root, config.review, { identity });
  if (backend.kind === 'github' && isTickfleetBranch(workspace.base)) {
    // Rebased onto the PR branch's fetched head just above: a plain push is a fast-forward, and refused if it moved since.
    await fence(async () => undefined);
    await pushBranch(wt, { remote: workspace.remote ?? config.review.remote, branch, to: workspace.base });
    // Its change lands when that PR merges: the PR step moves it to merged then.
    await recordJoined(layout, workspace.base, task.id);
    await backInReview(layout, workspace.base, task.id);
    await removeWorktree(layout.root, wt).catch(() => undefined);
    return {
      kind: 'delivered',
      result: { ...result, branch: workspace.base },
      summary: `pushed onto ${workspace.base} at ${head.slice(0, 12)}, its open PR`,
      stage: 'in_review',
    };
  }
  if (backend.kind === 'github') {
    await fence(async () => undefined);
    await pushBranch(wt, { remote: workspace.remote ?? config.review.remote, branch, forceWithLease: true });
  }
  const review = await backend.submit({
    taskId: task.id,
    branch,
    base: workspace.base,
    title: `${task.id}: ${task.title}`,
    body: prBody(task, input.summary, commits),
    fence,
  });
  // The work is on the branch (and pushed, or in the local review queue): the worktree can go.
  // Best effort, as above: reconcile's orphan cleanup retries one that cannot go now.
  await removeWorktree(layout.root, wt).catch(() => undefined);
  if (backend.kind === 'github') {
    return {
      kind: 'delivered',
      result: { ...result, pr: review.url ?? review.id },
      summary: `opened ${review.url ?? `PR ${review.id}`}`,
      stage: 'in_review',
    };
  }
  return {
    kind: 'delivered',
    result: { ...result, review: review.id },
    summary: `queued for local review as ${review.id}`,
    stage: 'in_review',
  };
}

/**
 * The PR's own task goes back to in review: its branch has a new head, to be
 * checked and reviewed again. A task that is gone or not in done/ (a rework
 * in flight) is left alone.
 */
async function backInReview(layout: Layout, prBranch: string, fixId: string): Promise<void> {
  const owner = taskIdOfBranch(prBranch);
  if (!owner || owner === fixId) return;
  await setTaskStage(layout, owner, 'in_review', { reason: `${fixId} pushed onto ${prBranch}` }).catch(
    (err: unknown) => {
      if (!(err instanceof ExitError)) throw err;
    },
  );
}

/**
 * Bring the base's new commits in: rebase for a linear history; when that
 * conflicts (or the branch already merged the base to resolve an earlier
 * conflict, which a rebase would replay), a merge commit; when that conflicts
 * too, the task goes back with the conflicting files to resolve.
 */
async function integrateBase(
  wt: string,
  baseRef: string,
  baseName: string,
  identity: GitIdentity,
): Promise<{ ok: true; head: string } | { ok: false; conflicts: string[]; reason: string }> {
  const rebased = await rebaseOnto(wt, { onto: baseRef, identity });
  if (rebased.ok) return { ok: true, head: rebased.head };
  if (rebased.reason !== 'conflict') return { ok: false, conflicts: [], reason: rebased.message };
  const merged = await mergeInto(wt, {
    from: baseRef,
    identity,
    message: `Merge ${baseName} into ${path.basename(wt)}`,
  });
  if (merged.ok) return { ok: true, head: merged.head };
  return {
    ok: false,
    conflicts: merged.conflicts,
    reason: `the branch conflicts with ${baseName} in ${merged.conflicts.join(', ') || 'some files'}`,
  };
}

function prBody(task: Task, summary: string, commits: { sha: string; subject: string }[]): string {
  return [
    `Task: ${task.id} — ${task.title}`,
    '',
    summary.trim() || '(no summary)',
    '',
    '### Commits',
    ...commits.map((c) => `- ${c.sha.slice(0, 12)} ${c.subject}`),
  ].join('\n');
}

/** After a run that stopped early: keep whatever it did on the task's branch for the next attempt. */
export async function keepPartialWork(
  workspace: Workspace,
  task: Task,
  reason: string,
  identity: GitIdentity,
): Promise<string | undefined> {
  if (!workspace.worktree) return undefined;
  const wt = workspace.worktree.path;
  const work = await inspectWork(wt, { base: workspace.worktree.baseSha });
  if (work.uncommitted.length === 0 && work.commitsAhead === 0) return undefined;
  const saved = await saveWip(wt, { branch: taskBranch(task.id), message: `WIP ${task.id}: ${reason}`, identity });
  return saved.branch;
}
