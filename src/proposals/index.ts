// The proposal queue: the header-line format, lifecycle active → promoted / deferred / rejected.
export type { Category, Complexity, Proposal, ProposalFields, ProposalInput, ProposalState } from './types.js';
export { CATEGORIES, COMPLEXITIES, PROPOSAL_STATES } from './types.js';
export { parseProposal, serializeProposal } from './format.js';
export { createProposal, type CreateProposalOptions } from './create.js';
export { promoteProposal } from './promote.js';
export { rejectProposal } from './reject.js';
export { deferProposal } from './defer.js';
export { reactivateProposal } from './reactivate.js';
export type { Decision } from './decision.js';
export { findProposal, listProposals, type ProposalListing } from './list.js';
export { proposalSection, proposalSummary, relevantFiles } from './sections.js';
export { proposalQueue } from './store.js';
