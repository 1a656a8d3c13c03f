import type { CheckVerdict } from './verdict.js';
import type { WaitingBranch } from './waiting.js';

/** Where a waiting branch stands, from its verdicts alone. */
export type Standing =
  /** A required check has no verdict yet. */
  | { state: 'checking'; missing: string[] }
  /** Every required check passed (optional ones are shown, never block). */
  | { state: 'passed' }
  /** A required check failed: the code must change. */
  | { state: 'failed'; failed: CheckVerdict[] }
  /** A required check could not run: a person must look (a command missing, no agent, the client failing). */
  | { state: 'error'; errors: CheckVerdict[] };

export function combine(branch: Pick<WaitingBranch, 'checks'>): Standing {
  const required = branch.checks.filter((c) => c.required);
  const missing = required.filter((c) => !c.verdict).map((c) => c.check);
  if (missing.length > 0) return { state: 'checking', missing };
  const verdicts = required.map((c) => c.verdict!);
  const errors = verdicts.filter((v) => v.verdict === 'error');
  if (errors.length > 0) return { state: 'error', errors };
  const failed = verdicts.filter((v) => v.verdict === 'fail');
  if (failed.length > 0) return { state: 'failed', failed };
  return { state: 'passed' };
}

const MARK = { pass: '✓', fail: '✗', error: '!' } as const;

/** `lint ✓ tests ✗ security …` (optional checks in parentheses). */
export function checksLine(branch: Pick<WaitingBranch, 'checks'>): string {
  return branch.checks
    .map((c) => {
      const mark = c.verdict ? MARK[c.verdict.verdict] : '…';
      return c.required ? `${c.check} ${mark}` : `(${c.check} ${mark})`;
    })
    .join(' ');
}
