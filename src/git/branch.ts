import { ExitError } from '../core/errors.js';
import { saveToBranch } from './preserve.js';
import { git, gitRun, revParse } from './run.js';

export interface EnsuredBranch {
  branch: string;
  head: string;
  /** Where the branch pointed before, if it existed. */
  previous?: string;
  /** When moving the branch would have dropped commits HEAD has no equivalent of, they were kept on this branch. */
  savedAs?: string;
}

/**
 * Create `name` at HEAD of a (detached) worktree, or move it there. Moving it
 * sideways is normal after a rebase (the old commits have equivalents in
 * HEAD); when some old commit has no equivalent (`git cherry` reports `+`),
 * the old tip is first kept on a `tickfleet/saved/...` branch, so a branch
 * move never loses work.
 */
export async function ensureBranch(worktree: string, name: string): Promise<EnsuredBranch> {
  const valid = await gitRun(worktree, ['check-ref-format', '--branch', name], { allowFail: true });
  if (valid.code !== 0)
    throw new ExitError(`${JSON.stringify(name)} is not a valid branch name (git check-ref-format)`);
  const head = await git(worktree, ['rev-parse', 'HEAD']);
  const previous = await revParse(worktree, `refs/heads/${name}`);
  if (previous === head) return { branch: name, head, previous };

  let savedAs: string | undefined;
  if (previous && !(await isAncestor(worktree, previous, head)) && (await hasUniqueCommits(worktree, head, previous))) {
    savedAs = await saveToBranch(worktree, previous, `${name}-${previous.slice(0, 8)}`);
  }
  // `branch -f` (not update-ref) so git refuses when the branch is checked out in another worktree.
  await git(worktree, ['branch', '--no-track', '-f', name, head]);
  return { branch: name, head, ...(previous ? { previous } : {}), ...(savedAs ? { savedAs } : {}) };
}

export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const r = await gitRun(cwd, ['merge-base', '--is-ancestor', ancestor, descendant], { allowFail: true });
  if (r.code > 1)
    throw new ExitError(`git merge-base --is-ancestor ${ancestor} ${descendant} failed in ${cwd}: ${r.stderr.trim()}`);
  return r.code === 0;
}

/** True when `tip` has a commit whose change `upstream` does not carry (by patch id). */
async function hasUniqueCommits(cwd: string, upstream: string, tip: string): Promise<boolean> {
  const out = await git(cwd, ['cherry', upstream, tip]);
  return out.split('\n').some((line) => line.startsWith('+'));
}
