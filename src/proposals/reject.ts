import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { type Decision, recordDecision } from './decision.js';
import type { Proposal } from './proposal.js';
import { moveProposal } from './store.js';

/** active or deferred → rejected, with the feedback the proposer will read before proposing again. */
export async function rejectProposal(
  layout: Layout,
  id: string,
  options: Decision & { feedback: string },
): Promise<Proposal> {
  if (typeof options.feedback !== 'string' || options.feedback.trim() === '')
    throw new ExitError(`reject ${id}: feedback is required (say why, so the proposer can learn)`);
  return moveProposal(layout, id, ['active', 'deferred'], 'rejected', 'rejected', (p) => {
    p.feedback = options.feedback.trim();
    recordDecision(p, options);
  });
}
