import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { checksLine, combine } from './combine.js';
import { isPullApproved } from './pullChecks.js';
import { type WaitingBranch, waitingBranches } from './waiting.js';

/** One waiting branch as `status` shows it. */
export interface BranchChecks {
  subject: string;
  branch: string;
  head: string;
  /** `lint ✓ tests ✗ (style …)`: optional checks in parentheses. */
  line: string;
  state: 'checking' | 'fixing' | 'ready' | 'needs_person';
  /** For needs_person: why; for fixing: the fix task. */
  why?: string;
  /** github back end: the PR, and whether tickfleet approved it at this head (its merge is then up to a person or the repository). */
  pr?: number;
  approved?: boolean;
}

/**
 * Where each branch under the gatekeepers stands, in the tick's own terms,
 * read-only (the same files the tick's pass reads, nothing started).
 */
export async function branchChecks(layout: Layout, config: Config): Promise<BranchChecks[]> {
  return Promise.all(
    (await waitingBranches(layout, config)).map(async (b) => {
      const state = stateOf(config, b);
      const approved =
        b.pr !== undefined && state.state === 'ready' && (await isPullApproved(layout, b.subject, b.head));
      return {
        subject: b.subject,
        branch: b.branch,
        head: b.head,
        line: checksLine(b),
        ...state,
        ...(b.pr !== undefined ? { pr: b.pr } : {}),
        ...(approved ? { approved } : {}),
      };
    }),
  );
}

function stateOf(config: Config, b: WaitingBranch): Pick<BranchChecks, 'state' | 'why'> {
  const standing = combine(b);
  switch (standing.state) {
    case 'checking':
      return { state: 'checking' };
    case 'error':
      return { state: 'needs_person', why: `${standing.errors.map((v) => `${v.check}: ${v.summary}`).join('; ')}` };
    case 'failed': {
      if (b.fixMade?.head === b.head)
        return {
          state: 'fixing',
          why: `fix task ${b.fixMade.task} (round ${b.fixMade.round} of ${config.gatekeeper.max_fix_rounds})`,
        };
      const used = b.fixOf?.round ?? 0;
      if (used >= config.gatekeeper.max_fix_rounds)
        return {
          state: 'needs_person',
          why: `${standing.failed.map((v) => v.check).join(', ')} still fail after ${used} fix round(s)`,
        };
      return { state: 'fixing', why: 'a fix task is made on the next tick' };
    }
    case 'passed':
      if (b.mergeError) return { state: 'needs_person', why: `checks pass, the merge failed: ${b.mergeError}` };
      return { state: 'ready' };
  }
}
