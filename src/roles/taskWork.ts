import type { RunMetrics } from '../claude/metrics.js';
import type { FollowUp, RunContext, Workspace } from '../run/context.js';
import { deliverBranch } from '../run/deliverBranch.js';
import { settleUndelivered } from '../run/settle.js';
import { completeTask } from '../tasks/complete.js';
import { failTask } from '../tasks/fail.js';
import { completeSplit } from '../tasks/splitSettle.js';
import { splitChildren } from '../tasks/tree.js';
import { updateTask } from '../tasks/update.js';
import { checkFence, fenceFor } from '../tasks/withFence.js';
import { ROLE_SPECS } from './registry.js';
import type { FinishedRun, RoleRun } from './roleRun.js';

/**
 * Roles that work on a claimed task. Implementer and tester deliver a branch
 * (push and PR, local review, or a merge for skip_pr); the others complete the
 * task with the model's summary as its handoff. A run that did not succeed
 * sends the task back (see settleUndelivered).
 */
export const taskWork: RoleRun = {
  async prepare(ctx) {
    return ctx.workspace ? { sections: conflictSection(ctx.workspace) } : {};
  },
  followUp: (ctx, run) => taskFollowUp(ctx, run),
};

export async function taskFollowUp(ctx: RunContext, run: FinishedRun): Promise<FollowUp> {
  const { outcome, metrics, summary } = run;
  const split = await splitFollowUp(ctx, run);
  if (split) return split;
  if (outcome.kind !== 'success') return settleUndelivered(ctx, outcome);
  const { task, token, workspace } = ctx;
  if (!task || !token) return { summary: `finished: ${outcome.reason}` };

  const facts = runFacts(ctx, metrics);

  if (ROLE_SPECS[ctx.agent.role].producesBranch && workspace?.worktree) {
    const delivery = await deliverBranch({
      layout: ctx.layout,
      config: ctx.config,
      task,
      workspace: { ...workspace, worktree: workspace.worktree },
      identity: ctx.identity,
      summary,
      fence: fenceFor(ctx.layout, task.id, token),
    });
    switch (delivery.kind) {
      case 'delivered': {
        const done = await completeTask(ctx.layout, task.id, token, {
          result: { ...delivery.result, ...facts },
          handoff: summary || outcome.reason,
          stage: delivery.stage,
          clock: ctx.clock,
        });
        return { summary: `${task.id} done: ${delivery.summary}`, result: delivery.result, taskState: done.state };
      }
      case 'no_commits':
        return { ...(await settleUndelivered(ctx, { kind: 'error', reason: delivery.reason })), outcome: 'no_commits' };
      case 'conflict': {
        // The branch is kept as it is; the next attempt starts from it with the base merged in and the conflicts to resolve.
        await updateTask(
          ctx.layout,
          task.id,
          (t) => {
            t.wip_branch = delivery.branch;
          },
          { token },
        );
        const after = await failTask(ctx.layout, task.id, token, {
          error: `${delivery.reason}; resolve the conflicts on ${delivery.branch}`,
          retry: true,
          backoffSeconds: 0,
          clock: ctx.clock,
        });
        return {
          summary: `${task.id} back in incoming to resolve conflicts: ${delivery.reason}`,
          result: { branch: delivery.branch, conflicts: delivery.conflicts },
          taskState: after.state,
          outcome: 'conflict',
        };
      }
      case 'merge_refused':
        return {
          ...(await settleUndelivered(ctx, { kind: 'error', reason: `merge refused: ${delivery.reason}` })),
          outcome: 'merge_refused',
        };
    }
  }

  const done = await completeTask(ctx.layout, task.id, token, { result: facts, handoff: summary || outcome.reason });
  return { summary: `${task.id} done`, taskState: done.state };
}

/**
 * A run whose agent split its task (`tickfleet split`) delivers no branch,
 * however the client ended: its children carry the work, and the task waits
 * in done/ as `split` until they are merged (tasks/splitSettle.ts). Any
 * commits it made stay on its worktree's branch, undelivered.
 */
async function splitFollowUp(ctx: RunContext, run: FinishedRun): Promise<FollowUp | undefined> {
  const { task, token } = ctx;
  if (!task || !token) return undefined;
  const children = splitChildren(await checkFence(ctx.layout, task.id, token));
  if (children.length === 0) return undefined;
  const done = await completeSplit(ctx.layout, task.id, token, {
    result: runFacts(ctx, run.metrics),
    handoff: run.summary || run.outcome.reason,
    clock: ctx.clock,
  });
  return {
    summary: `${task.id} split into ${children.join(', ')}; it completes when they are merged`,
    result: { split_into: children },
    taskState: done.state,
  };
}

function conflictSection(workspace: Workspace): string[] {
  if (!workspace.conflicts?.length) return [];
  return [
    [
      '## Merge conflicts to resolve first',
      '',
      `The base branch \`${workspace.base}\` was merged into your earlier work and these files have conflict markers:`,
      '',
      ...workspace.conflicts.map((f) => `- \`${f}\``),
      '',
      'Resolve every marker keeping the intent of both sides, then `git add` the files and `git commit` to conclude the merge before anything else.',
    ].join('\n'),
  ];
}

/** The run's facts recorded on a finished task. */
export function runFacts(ctx: RunContext, metrics: RunMetrics): Record<string, unknown> {
  return {
    run_id: ctx.runId,
    agent: ctx.agent.name,
    cost_usd: round(metrics.costUsd),
    tokens: metrics.tokens.input + metrics.tokens.output,
    turns: metrics.turns,
    duration_ms: metrics.durationMs,
  };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
