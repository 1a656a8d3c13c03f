import type { Layout } from '../core/paths.js';
import type { Proposal } from './proposal.js';
import { moveProposal } from './store.js';

/** deferred → active; the earlier feedback stays for the curator to read. */
export async function reactivateProposal(layout: Layout, id: string): Promise<Proposal> {
  return moveProposal(layout, id, ['deferred'], 'active', 'reactivated', (p) => {
    p.decided_at = undefined;
    p.decided_by = undefined;
    p.conflicts_with = [];
  });
}
