import type { Outcome, RunMetrics } from '../../claude/index.js';
import { completeTask, failTask, updateTask } from '../../tasks/index.js';
import { ROLE_SPECS } from '../../roles/registry.js';
import type { FollowUp, RunContext } from '../context.js';
import { settleUndelivered } from '../settle.js';
import { deliverBranch } from './deliverBranch.js';

/**
 * What tickfleet does after a run, by role and outcome. The model only edits
 * code and reports; every queue move, push and PR happens here.
 */
export async function followUp(ctx: RunContext, outcome: Outcome, metrics: RunMetrics, summary: string): Promise<FollowUp> {
  if (outcome.kind !== 'success') return settleUndelivered(ctx, outcome);
  const { task, token, workspace } = ctx;
  if (!task || !token) return { summary: `finished: ${outcome.reason}` };

  const runFacts = { run_id: ctx.runId, agent: ctx.agent.name, cost_usd: round(metrics.costUsd), tokens: metrics.tokens.input + metrics.tokens.output, turns: metrics.turns, duration_ms: metrics.durationMs };

  if (ROLE_SPECS[ctx.agent.role].producesBranch && workspace?.worktree) {
    const delivery = await deliverBranch({ layout: ctx.layout, config: ctx.config, task, workspace: { ...workspace, worktree: workspace.worktree }, identity: ctx.identity, summary });
    switch (delivery.kind) {
      case 'delivered': {
        const done = await completeTask(ctx.layout, task.id, token, { result: { ...delivery.result, ...runFacts }, handoff: summary || outcome.reason });
        return { summary: `${task.id} done: ${delivery.summary}`, result: delivery.result, taskState: done.state };
      }
      case 'no_commits':
        return { ...(await settleUndelivered(ctx, { kind: 'error', reason: delivery.reason })), outcome: 'no_commits' };
      case 'conflict': {
        // The branch is kept as it is; the next attempt starts from it with the base merged in and the conflicts to resolve.
        await updateTask(ctx.layout, task.id, (t) => void (t.wip_branch = delivery.branch), { token });
        const after = await failTask(ctx.layout, task.id, token, { error: `${delivery.reason}; resolve the conflicts on ${delivery.branch}`, retry: true, backoffSeconds: 0, clock: ctx.clock });
        return { summary: `${task.id} back in incoming to resolve conflicts: ${delivery.reason}`, result: { branch: delivery.branch, conflicts: delivery.conflicts }, taskState: after.state, outcome: 'conflict' };
      }
      case 'merge_refused':
        return { ...(await settleUndelivered(ctx, { kind: 'error', reason: `merge refused: ${delivery.reason}` })), outcome: 'merge_refused' };
    }
  }

  const done = await completeTask(ctx.layout, task.id, token, { result: runFacts, handoff: summary || outcome.reason });
  return { summary: `${task.id} done`, taskState: done.state };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
