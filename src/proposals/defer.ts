import { ExitError } from '../core/errors.js';
import { SAFE_ID } from '../core/ids.js';
import type { Layout } from '../core/paths.js';
import { type Decision, recordDecision } from './decision.js';
import type { Proposal } from './proposal.js';
import { moveProposal } from './store.js';

/** active → deferred (revisit later); conflicting proposals name each other for a person to decide. */
export async function deferProposal(
  layout: Layout,
  id: string,
  options: Decision & { reason: string; conflictsWith?: string[] },
): Promise<Proposal> {
  if (typeof options.reason !== 'string' || options.reason.trim() === '')
    throw new ExitError(`defer ${id}: give a reason`);
  for (const other of options.conflictsWith ?? []) {
    if (!SAFE_ID.test(other))
      throw new ExitError(`defer ${id}: conflictsWith ${JSON.stringify(other)} is not a proposal id`);
  }
  return moveProposal(layout, id, ['active'], 'deferred', 'deferred', (p) => {
    p.feedback = options.reason.trim();
    if (options.conflictsWith) p.conflicts_with = [...options.conflictsWith];
    recordDecision(p, options);
  });
}
