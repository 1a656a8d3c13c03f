import type { Config } from '../config/agentsConfig.js';
import { listProposals } from '../proposals/list.js';
import type { Proposal } from '../proposals/proposal.js';
import { relevantFiles } from '../proposals/sections.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import type { RoleRun } from './roleRun.js';

/** Recent rejections shown before proposing: enough to learn from, few enough to read. */
const MAX_REJECTIONS = 10;
const MAX_WAITING = 40;

/**
 * A proposer (model: proposal) explores the code for its focus and proposes
 * work with `tickfleet propose`, which enforces its limits. Before that it
 * reads its own recent rejections with the curator's feedback (the
 * feedback loop) and what is already waiting, so it neither repeats itself
 * nor duplicates another proposer.
 */
export const proposer: RoleRun = {
  async prepare(ctx) {
    const { proposals } = await listProposals(ctx.layout, { states: ['active', 'rejected'] });
    const mine = proposals.filter((p) => p.proposer === ctx.agent.name);
    const rejected = mine
      .filter((p) => p.state === 'rejected')
      .sort((a, b) => (b.decided_at ?? '').localeCompare(a.decided_at ?? ''))
      .slice(0, MAX_REJECTIONS);
    const waiting = proposals.filter((p) => p.state === 'active');
    return {
      sections: [
        limitsSection(ctx, waiting.filter((p) => p.proposer === ctx.agent.name).length),
        rejectionsSection(rejected),
        waitingSection(waiting),
      ],
    };
  },

  async followUp(ctx, run): Promise<FollowUp> {
    const { proposals } = await listProposals(ctx.layout, { proposer: ctx.agent.name });
    const made = proposals.filter((p) => p.run_id === ctx.runId).sort((a, b) => a.id.localeCompare(b.id));
    const result = { proposals: made.map((p) => p.id) };
    if (run.outcome.kind !== 'success') return { ...(await settleUndelivered(ctx, run.outcome)), result };
    return {
      summary: made.length
        ? `proposed ${made.length}: ${made.map((p) => `${p.id} ${p.title}`).join('; ')}`
        : 'proposed nothing',
      result,
    };
  },
};

export function proposalLimit(config: Config, agent: string) {
  return config.proposal_limits[agent] ?? config.proposal_defaults;
}

function limitsSection(ctx: RunContext, active: number): string {
  const limit = proposalLimit(ctx.config, ctx.agent.name);
  const room = Math.max(0, Math.min(limit.max_per_run, limit.max_active - active));
  return [
    '## Proposing',
    '',
    `You may make at most ${limit.max_per_run} proposal${limit.max_per_run === 1 ? '' : 's'} in this run (max_per_run) and have at most ${limit.max_active} active (max_active); ${active} of yours ${active === 1 ? 'is' : 'are'} active now, so at most ${room} more. Fewer, well-argued proposals beat many thin ones.`,
    '',
    'Propose only with `tickfleet propose` (see `/create-proposal`): one call per proposal, with `--rationale` (evidence: a failing test, `file:line`, a plan item), at least one checkable `--criteria`, and every file the work touches as `--file`. The command checks the proposal and refuses past either limit; when it refuses, stop proposing for this run. Never write proposal files yourself.',
    '',
    'End with a short summary of what you proposed and why.',
  ].join('\n');
}

function rejectionsSection(rejected: readonly Proposal[]): string {
  if (rejected.length === 0) return '## Your recent rejections\n\nNone so far.';
  return [
    '## Your recent rejections',
    '',
    'Read the feedback before proposing. Do not propose these again unless the reason no longer holds, and then say in the rationale what changed.',
    '',
    ...rejected.map(
      (p) => `- ${p.id} "${p.title}"${p.decided_at ? ` (${p.decided_at})` : ''}: ${p.feedback ?? '(no feedback)'}`,
    ),
  ].join('\n');
}

function waitingSection(waiting: readonly Proposal[]): string {
  if (waiting.length === 0) return '## Proposals waiting for the curator\n\nNone.';
  const shown = waiting.slice(0, MAX_WAITING).map((p) => {
    const files = relevantFiles(p);
    return `- ${p.id} [${p.proposer}] ${p.title}${files.length ? ` (${files.join(', ')})` : ''}`;
  });
  if (waiting.length > MAX_WAITING)
    shown.push(`- … and ${waiting.length - MAX_WAITING} more (\`tickfleet proposals --state active\`)`);
  return [
    '## Proposals waiting for the curator',
    '',
    'Do not duplicate these. Proposals touching the same files are deferred as conflicts, so prefer work elsewhere.',
    '',
    ...shown,
  ].join('\n');
}
