import type { Layout } from '../core/paths.js';
import { QueueFileError, readTextSync } from '../core/queueFolder.js';
import { locate } from '../core/queueLookup.js';
import { readStates, type QueueProblem } from '../core/queueMoves.js';
import { parseProposal } from './format.js';
import { loadProposalLocked, proposalNotFound, proposalQueue, withProposalLock } from './store.js';
import { PROPOSAL_STATES, type Proposal, type ProposalState } from './types.js';

export interface ProposalListing {
  proposals: Proposal[];
  /** Files that could not be read; each was moved to quarantine with its reason. */
  problems: QueueProblem[];
}

export async function listProposals(layout: Layout, options: { states?: readonly ProposalState[]; proposer?: string } = {}): Promise<ProposalListing> {
  const { items, problems } = await readStates(proposalQueue(layout), options.states ?? PROPOSAL_STATES, parseProposal);
  const proposals = options.proposer === undefined ? items : items.filter((p) => p.proposer === options.proposer);
  return { proposals, problems };
}

export async function findProposal(layout: Layout, id: string): Promise<Proposal> {
  const where = locate(proposalQueue(layout), id);
  const text = where && readTextSync(where.file);
  if (!where || text === undefined) throw proposalNotFound(id);
  try {
    return parseProposal(text, where.file, where.state);
  } catch (err) {
    if (!(err instanceof QueueFileError)) throw err;
    return withProposalLock(layout, () => loadProposalLocked(layout, id));
  }
}
