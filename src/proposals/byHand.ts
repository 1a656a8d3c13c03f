import type { Actor } from '../core/actor.js';
import { ExitError } from '../core/errors.js';
import type { Layout, ProposalState } from '../core/paths.js';
import { listProposals } from './list.js';
import type { Proposal } from './proposal.js';
import { reactivateProposal } from './reactivate.js';
import { rejectProposal } from './reject.js';

export interface ProposalQuery {
  /** Only the caller's own proposals. */
  mine?: boolean;
  proposer?: string;
  state?: ProposalState;
}

/**
 * `tickfleet proposals`: newest decision (or creation) first, so a proposer
 * reading its rejections sees the latest feedback at the top.
 */
export async function proposalList(layout: Layout, actor: Actor, query: ProposalQuery = {}): Promise<Proposal[]> {
  const proposer = query.mine ? actor.name : query.proposer;
  const { proposals } = await listProposals(layout, {
    ...(query.state ? { states: [query.state] } : {}),
    ...(proposer ? { proposer } : {}),
  });
  return proposals.sort((a, b) => when(b).localeCompare(when(a)) || a.id.localeCompare(b.id));
}

function when(p: Proposal): string {
  return p.decided_at ?? p.created ?? '';
}

/**
 * Decisions a person makes after the curator escalated (a conflict) or
 * deferred: never an agent's, since agents reach the queue only through the
 * commands their role is given.
 */
function peopleOnly(actor: Actor, verb: string): void {
  if (actor.isAgent)
    throw new ExitError(
      `proposals ${verb} is for people; agent ${actor.name} cannot decide proposals (the curator's decisions come from its run)`,
    );
}

export async function rejectProposalByHand(
  layout: Layout,
  actor: Actor,
  id: string,
  feedback: string,
): Promise<Proposal> {
  peopleOnly(actor, 'reject');
  return rejectProposal(layout, id, { by: actor.name, feedback });
}

/** A deferred proposal goes back to active/, for the curator's next run. */
export async function reactivateProposalByHand(layout: Layout, actor: Actor, id: string): Promise<Proposal> {
  peopleOnly(actor, 'reactivate');
  return reactivateProposal(layout, id);
}
