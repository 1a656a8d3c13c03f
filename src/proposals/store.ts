import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { type Layout, PROPOSAL_STATES, proposalDir } from '../core/paths.js';
import { QueueFileError, type QueueFolders } from '../core/queueFolder.js';
import { loadEntryLocked, rewriteAndMove, withQueueLock } from '../core/queueMoves.js';
import { parseProposal, serializeProposal } from './format.js';
import type { Proposal, ProposalState } from './proposal.js';

export function proposalQueue(layout: Layout): QueueFolders<ProposalState> {
  return {
    noun: 'proposal',
    states: PROPOSAL_STATES,
    dir: (state) => proposalDir(layout, state),
    lockTarget: path.join(layout.locks, 'proposal-queue'),
    tmpDir: layout.tmp,
  };
}

export function withProposalLock<T>(layout: Layout, fn: () => Promise<T>): Promise<T> {
  return withQueueLock(proposalQueue(layout), fn);
}

export function proposalNotFound(id: string): ExitError {
  return new ExitError(`proposal ${id} not found in ${PROPOSAL_STATES.join(', ')}`);
}

/** Read one proposal; caller holds the lock. An unreadable file is quarantined and reported. */
export function loadProposalLocked(layout: Layout, id: string): Promise<Proposal> {
  return loadEntryLocked(proposalQueue(layout), id, parseProposal, proposalNotFound);
}

/**
 * One decision on a proposal: load it under the lock, check where it is,
 * apply the change, rewrite it in place and move it (never clobbering).
 */
export async function moveProposal(
  layout: Layout,
  id: string,
  from: readonly ProposalState[],
  to: ProposalState,
  verb: string,
  change: (p: Proposal) => void,
): Promise<Proposal> {
  const q = proposalQueue(layout);
  return withProposalLock(layout, async () => {
    const p = await loadProposalLocked(layout, id);
    if (!from.includes(p.state))
      throw new ExitError(`${id} is ${p.state}; only a proposal that is ${from.join(' or ')} can be ${verb}`);
    change(p);
    const text = serializeProposal(p);
    try {
      parseProposal(text, p.file, p.state);
    } catch (err) {
      if (err instanceof QueueFileError)
        throw new ExitError(`${id}: refusing to write an invalid proposal (${err.message})`);
      throw err;
    }
    const file = await rewriteAndMove(q, p.file, text, p.state, to);
    return parseProposal(text, file, to);
  });
}
