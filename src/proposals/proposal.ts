import type { ProposalState } from '../core/paths.js';

export { PROPOSAL_STATES, type ProposalState } from '../core/paths.js';

export const CATEGORIES = ['test', 'refactor', 'feature', 'debt', 'plan-task'] as const;
export type Category = (typeof CATEGORIES)[number];

export const COMPLEXITIES = ['S', 'M', 'L', 'XL'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

/** The `**Key:** value` fields tickfleet knows; other lines are kept as written. */
export interface ProposalFields {
  id: string;
  title: string;
  proposer: string;
  category: Category;
  complexity: Complexity;
  created?: string;
  /** The curator's weighted score, set on promotion. */
  score?: number;
  decided_at?: string;
  decided_by?: string;
  /** Why it was rejected or deferred; proposers read it before proposing again. */
  feedback?: string;
  /** The task a promoted proposal became. */
  task_id?: string;
  /** Proposals it conflicts with (both are deferred for a person to decide). */
  conflicts_with: string[];
  /** The agent run that created it: what `proposal_limits.<name>.max_per_run` counts. */
  run_id?: string;
}

export interface Proposal extends ProposalFields {
  /** Markdown after the header lines (## Summary, ## Rationale, ...), byte for byte. */
  body: string;
  state: ProposalState;
  file: string;
  /** The parsed file; lets a rewrite keep unknown lines. Never serialised to JSON. */
  source?: { toJSON(): undefined };
}

export interface ProposalInput {
  title: string;
  proposer: string;
  category: Category;
  complexity: Complexity;
  /** One line. */
  summary: string;
  rationale?: string;
  acceptance?: string[];
  relevantFiles?: string[];
  /** The creating agent run (`$TICKFLEET_RUN_ID`), recorded so a per-run limit can be counted. */
  runId?: string;
}
