import type { Layout } from '../core/paths.js';
import { findEntry, type QueueProblem, readStates } from '../core/queueMoves.js';
import { parseProposal } from './format.js';
import { PROPOSAL_STATES, type Proposal, type ProposalState } from './proposal.js';
import { proposalNotFound, proposalQueue } from './store.js';

export interface ProposalListing {
  proposals: Proposal[];
  /** Files that could not be read; each was moved to quarantine with its reason. */
  problems: QueueProblem[];
}

export async function listProposals(
  layout: Layout,
  options: { states?: readonly ProposalState[]; proposer?: string } = {},
): Promise<ProposalListing> {
  const { items, problems } = await readStates(proposalQueue(layout), options.states ?? PROPOSAL_STATES, parseProposal);
  const proposals = options.proposer === undefined ? items : items.filter((p) => p.proposer === options.proposer);
  return { proposals, problems };
}

export function findProposal(layout: Layout, id: string): Promise<Proposal> {
  return findEntry(proposalQueue(layout), id, parseProposal, proposalNotFound);
}
