import { findProposal, listProposals } from '../proposals/list.js';
import type { Proposal } from '../proposals/proposal.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { fileOverlaps } from './conflicts.js';
import { applyCuration } from './curatorApply.js';
import { curatorSchema, parseCuratorDecision } from './curatorDecision.js';
import { askAboutConflict, warnOnRejectionSpree } from './curatorMessages.js';
import { planCuration } from './curatorPlan.js';
import { curatorSections } from './curatorPrompt.js';
import { outcomesSection } from './outcomes.js';
import type { RoleRun } from './roleRun.js';

/**
 * The curator (model: proposal) never explores the code: it runs in an empty
 * scratch folder, reads the active proposals from its instructions, and
 * answers with a schema-checked decision. tickfleet validates the whole
 * decision before moving anything, computes the scores, and promotes,
 * rejects and defers (see curatorPlan.ts for the rule).
 */
/** What the follow-up checks the decision against: the proposals shown, the criteria asked for, their file overlaps. */
export interface CuratorFacts {
  ids: string[];
  criteria: string[];
  overlaps: ReturnType<typeof fileOverlaps>;
}

export const curator: RoleRun<CuratorFacts> = {
  async prepare(ctx) {
    const { proposals } = await listProposals(ctx.layout, { states: ['active'] });
    proposals.sort((a, b) => (a.created ?? '').localeCompare(b.created ?? '') || a.id.localeCompare(b.id));
    const ids = proposals.map((p) => p.id);
    const criteria = Object.keys(ctx.config.curator.weights);
    const overlaps = fileOverlaps(proposals);
    return {
      sections: [...curatorSections(ctx.config, proposals, overlaps), ...outcomesSection(ctx)],
      jsonSchema: curatorSchema(ids, criteria),
      context: { ids, criteria, overlaps },
    };
  },

  async followUp(ctx, run): Promise<FollowUp> {
    if (run.outcome.kind !== 'success') return settleUndelivered(ctx, run.outcome);
    const { ids, criteria, overlaps } = run.prepared.context;
    const parsed = parseCuratorDecision(run.outcome.structuredOutput, ids, criteria);
    if (!parsed.ok)
      return {
        summary: `invalid curator decision, no proposal moved: ${parsed.problems.summary()}`,
        outcome: 'invalid_decision',
      };

    const proposals = await currentProposals(ctx, ids);
    const decision = { ...parsed.value, decisions: parsed.value.decisions.filter((d) => proposals.has(d.id)) };
    const plan = planCuration(ctx.config, [...proposals.values()], decision, overlaps);
    const applied = await applyCuration(ctx, plan, proposals);
    let asked = 0;
    for (const conflict of plan.conflicts) if (await askAboutConflict(ctx, conflict, proposals)) asked++;
    const proposers = [...new Set(applied.rejected.map((id) => proposals.get(id)!.proposer))].sort();
    for (const proposer of proposers) await warnOnRejectionSpree(ctx, proposer);

    for (const note of applied.notes) ctx.log(note);
    const result = {
      promoted: applied.promoted,
      rejected: [...applied.rejected].sort(),
      deferred: [...applied.deferred].sort(),
      conflicts: plan.conflicts.map((c) => c.ids),
      ...(applied.notes.length ? { notes: applied.notes } : {}),
    };
    const parts = [
      `promoted ${applied.promoted.length}`,
      `rejected ${applied.rejected.length}`,
      `deferred ${applied.deferred.length}`,
    ];
    if (plan.conflicts.length)
      parts.push(`${plan.conflicts.length} conflict(s)${asked ? `, ${asked} question(s) sent` : ', already asked'}`);
    return { summary: parts.join(', '), result };
  },
};

/** The proposals as they are now; one whose file is gone (removed by hand) is left out, and its decision with it. */
async function currentProposals(ctx: RunContext, ids: readonly string[]): Promise<Map<string, Proposal>> {
  const out = new Map<string, Proposal>();
  for (const id of ids) {
    try {
      out.set(id, await findProposal(ctx.layout, id));
    } catch (err) {
      ctx.log(`${id} could not be read after the run: ${(err as Error).message}`);
    }
  }
  return out;
}
