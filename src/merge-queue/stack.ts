import { rebaseOnto } from '../git/rebase.js';
import { type GitIdentity, revParse } from '../git/run.js';
import { scratchAt } from './scratch.js';
import type { QueueEntry } from './state.js';

/** A branch stacked onto the ones before it: `tip` is the stack up to and including it. */
export interface Stacked {
  entry: QueueEntry;
  tip: string;
}

/** A branch taken out of the batch before any test: why, and the paths that conflicted. */
export interface TakenOut {
  entry: QueueEntry;
  code: 'conflict' | 'branch_moved' | 'missing' | 'error';
  reason: string;
  conflicts: string[];
}

/**
 * Stack `entries` one on another onto `onto` in the scratch worktree: each
 * branch's approved head is rebased onto the stack so far. A branch that no
 * longer rebases cleanly (or moved since its approval, or is gone) is taken
 * out and the rest stack without it. No branch ref moves here.
 */
export async function stackBranches(
  scratch: string,
  root: string,
  onto: string,
  entries: readonly QueueEntry[],
  identity?: GitIdentity,
): Promise<{ stacked: Stacked[]; takenOut: TakenOut[] }> {
  const stacked: Stacked[] = [];
  const takenOut: TakenOut[] = [];
  let tip = onto;
  for (const entry of entries) {
    const now = await revParse(root, `refs/heads/${entry.branch}`);
    if (!now) {
      takenOut.push({ entry, code: 'missing', reason: `branch ${entry.branch} does not exist`, conflicts: [] });
      continue;
    }
    if (now !== entry.head) {
      takenOut.push({
        entry,
        code: 'branch_moved',
        reason: `${entry.branch} is at ${now.slice(0, 12)}, not the approved ${entry.head.slice(0, 12)}; submit it again for review`,
        conflicts: [],
      });
      continue;
    }
    await scratchAt(scratch, entry.head);
    const rebased = await rebaseOnto(scratch, { onto: tip, ...(identity ? { identity } : {}) });
    if (!rebased.ok) {
      takenOut.push({
        entry,
        code: rebased.reason === 'conflict' ? 'conflict' : 'error',
        reason: `${entry.branch} does not stack onto ${entry.base}${stacked.length > 0 ? ` with ${stacked.map((s) => s.entry.review).join(', ')}` : ''}: ${rebased.message}`,
        conflicts: rebased.conflicts,
      });
      continue;
    }
    tip = rebased.head;
    stacked.push({ entry, tip });
  }
  return { stacked, takenOut };
}
