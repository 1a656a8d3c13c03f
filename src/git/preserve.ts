import { ExitError } from '../core/errors.js';
import { git, gitRun } from './run.js';

/**
 * Refs that keep commits alive: branches, tags, remote-tracking refs and
 * tickfleet's own safety refs. A worktree's HEAD is deliberately not among
 * them: a detached HEAD disappears with its worktree. (`--all` would count
 * HEAD and make every commit look preserved.)
 */
const KEEPERS = ['--branches', '--tags', '--remotes', '--glob=refs/tickfleet'];

/** How many commits reachable from `sha` no ref keeps, i.e. would be lost if nothing pointed at `sha`. */
export async function unpreservedCount(cwd: string, sha: string): Promise<number> {
  const out = await git(cwd, ['rev-list', '--count', sha, '--not', ...KEEPERS]);
  return Number.parseInt(out, 10) || 0;
}

/**
 * Point a new branch `tickfleet/saved/<label>` at `sha` so its commits
 * survive, and return the branch name. Never moves an existing branch.
 */
export async function saveToBranch(cwd: string, sha: string, label: string): Promise<string> {
  const clean =
    label
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .replace(/\.\.+/g, '.')
      .replace(/\.lock$/, '') || 'work';
  for (let n = 1; n < 100; n++) {
    const name = `tickfleet/saved/${clean}${n === 1 ? '' : `-${n}`}`;
    // `git branch` without -f refuses an existing name, so nothing already saved is moved.
    const r = await gitRun(cwd, ['branch', '--no-track', name, sha], { allowFail: true });
    if (r.code === 0) return name;
  }
  throw new ExitError(`cannot save ${sha} in ${cwd}: every tickfleet/saved/${clean}-N branch name is taken`);
}
