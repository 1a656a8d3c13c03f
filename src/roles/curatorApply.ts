import type { Config } from '../config/agentsConfig.js';
import { ExitError } from '../core/errors.js';
import { deferProposal } from '../proposals/defer.js';
import { findProposal } from '../proposals/list.js';
import { promoteProposal } from '../proposals/promote.js';
import type { Proposal } from '../proposals/proposal.js';
import { rejectProposal } from '../proposals/reject.js';
import { proposalSection, proposalSummary, relevantFiles } from '../proposals/sections.js';
import type { RunContext } from '../run/context.js';
import { tasksCreatedSince } from './createdTasks.js';
import type { CurationPlan, PlannedMove } from './curatorPlan.js';
import { enqueue } from './enqueue.js';
import { claimRoleOf } from './registry.js';

export interface Applied {
  promoted: { id: string; task: string; score: number }[];
  rejected: string[];
  deferred: string[];
  /** Moves not made: the proposal was no longer active (a person decided meanwhile), or promoting it failed. */
  notes: string[];
}

/**
 * Carry out a plan, move by move. A promotion creates the task through
 * `enqueue`, the same gate and max_incoming an agent's CLI call meets; when
 * the queue is full the proposal is deferred rather than the queue overfilled.
 */
export async function applyCuration(
  ctx: RunContext,
  plan: CurationPlan,
  proposals: ReadonlyMap<string, Proposal>,
): Promise<Applied> {
  const applied: Applied = { promoted: [], rejected: [], deferred: [], notes: [] };
  const by = { by: ctx.agent.name, clock: ctx.clock };
  const defer = async (move: PlannedMove, reason: string) => {
    await deferProposal(ctx.layout, move.id, {
      ...by,
      reason,
      ...(move.conflictsWith ? { conflictsWith: move.conflictsWith } : {}),
    });
    applied.deferred.push(move.id);
  };
  for (const move of plan.moves) {
    const p = proposals.get(move.id)!;
    try {
      if (move.action === 'reject') {
        await rejectProposal(ctx.layout, move.id, { ...by, feedback: move.feedback });
        applied.rejected.push(move.id);
      } else if (move.action === 'defer') {
        await defer(move, move.feedback);
      } else {
        // Checked first so a proposal a person just decided does not become a task.
        if ((await findProposal(ctx.layout, move.id)).state !== 'active')
          throw new ExitError(`${move.id} is no longer active`);
        let taskId: string;
        try {
          taskId =
            earlierPromotion(ctx, p) ??
            (await enqueue(ctx.layout, { name: ctx.agent.name, isAgent: true }, taskRequest(ctx.config, p, move))).id;
        } catch (err) {
          if (!(err instanceof ExitError)) throw err;
          await defer(move, `Not promoted yet: ${err.message}. Curator: ${move.feedback}`);
          applied.notes.push(`${move.id} deferred instead of promoted: ${err.message}`);
          continue;
        }
        await promoteProposal(ctx.layout, move.id, { ...by, taskId, score: move.score });
        applied.promoted.push({ id: move.id, task: taskId, score: move.score });
      }
    } catch (err) {
      if (!(err instanceof ExitError)) throw err;
      applied.notes.push(
        `${move.id} not ${move.action === 'promote' ? 'promoted' : `${move.action}ed`}: ${err.message}`,
      );
    }
  }
  return applied;
}

/**
 * The task an earlier run made from this proposal before it could record the
 * promotion (it was killed in between): reused, so a proposal never becomes
 * two tasks. Only files written since the proposal was made are read.
 */
function earlierPromotion(ctx: RunContext, p: Proposal): string | undefined {
  const since = { iso: p.created ?? '', epochMs: Date.parse(p.created ?? '') || 0 };
  return tasksCreatedSince(ctx.layout, ctx.agent.name, since).find((t) => t.body.includes(promotedFrom(p)))?.id;
}

function promotedFrom(p: Proposal): string {
  return `Promoted from ${p.id} (`;
}

/** A `test` proposal goes to testers when the fleet has one; everything else is implement work. */
function taskRole(config: Config, p: Proposal): string {
  if (p.category === 'test' && config.agents.some((a) => claimRoleOf(a) === 'test')) return 'test';
  return 'implement';
}

function taskRequest(config: Config, p: Proposal, move: PlannedMove) {
  const criteria = (proposalSection(p, 'Acceptance Criteria') ?? '')
    .split('\n')
    .map((l) => /^\s*[-*]\s+(?:\[[ xX]\]\s*)?(.+?)\s*$/.exec(l)?.[1])
    .filter((c): c is string => !!c);
  const files = relevantFiles(p);
  const rationale = proposalSection(p, 'Rationale');
  const context = [
    `${promotedFrom(p)}by ${p.proposer}: ${p.category}, complexity ${p.complexity}; score ${move.score}).`,
    '',
    proposalSummary(p),
    ...(rationale ? ['', `Why: ${rationale}`] : []),
    ...(files.length ? ['', 'Relevant files:', ...files.map((f) => `- ${f}`)] : []),
    '',
    `Curator: ${move.feedback}`,
  ].join('\n');
  return { title: p.title, role: taskRole(config, p), priority: move.priority, context, criteria };
}
