import { ExitError } from '../core/errors.js';
import { firstLine } from '../process/firstLine.js';
import { git, gitRun, revParse } from './run.js';
import { listWorktrees } from './worktreeList.js';

/**
 * The base branch: the configured one, else the branch the main work tree is
 * on, else `main`.
 */
export async function resolveBaseBranch(root: string, configured?: string): Promise<string> {
  if (configured) return configured;
  const main = (await listWorktrees(root))[0];
  return main?.branch ?? 'main';
}

export async function hasRemote(root: string, remote: string): Promise<boolean> {
  const remotes = (await git(root, ['remote'])).split('\n').map((r) => r.trim());
  return remotes.includes(remote);
}

export interface FetchedBase {
  /** Full ref to start work from: `refs/remotes/<remote>/<base>` after a good fetch, else `refs/heads/<base>`. */
  ref: string;
  sha: string;
  /** True when the ref came fresh from the remote. */
  fetched: boolean;
  /** Why the fetch failed; the local base is used instead. */
  fetchError?: string;
}

const FETCH_TIMEOUT_MS = 120_000;

export interface FetchBaseOptions {
  /**
   * Merges land in this repository's base branch (the local review queue),
   * not on the remote: when the local base is ahead of the fetched one, it
   * is the newer base and is used, so work started after a merge contains it.
   */
  preferLocal?: boolean;
}

/**
 * Fetch the base branch. Without a remote this is a no-op; a failed fetch
 * (offline, auth) is reported in `fetchError`, not thrown, and the local base
 * is used: a flaky network should delay freshness, not stop the fleet.
 */
export async function fetchBase(
  root: string,
  remote: string | undefined,
  base: string,
  options: FetchBaseOptions = {},
): Promise<FetchedBase> {
  const local = `refs/heads/${base}`;
  let fetchError: string | undefined;
  if (remote && (await hasRemote(root, remote))) {
    const tracking = `refs/remotes/${remote}/${base}`;
    fetchError = await fetchOnce(root, remote, base, tracking);
    if (fetchError === undefined) {
      const sha = await revParse(root, tracking);
      if (sha && options.preferLocal) {
        const localSha = await revParse(root, local);
        if (localSha && localSha !== sha && (await containsCommit(root, localSha, sha)))
          return { ref: local, sha: localSha, fetched: true };
      }
      if (sha) return { ref: tracking, sha, fetched: true };
      fetchError = `${remote} has no branch ${base}`;
    }
  }
  const sha = await revParse(root, local);
  if (!sha) {
    const why = fetchError ? ` (fetch failed: ${fetchError})` : '';
    throw new ExitError(
      `base branch ${base} does not exist in ${root}${why}; create it or set review.base_branch in agents.yaml`,
    );
  }
  return { ref: local, sha, fetched: false, ...(fetchError ? { fetchError } : {}) };
}

async function containsCommit(root: string, tip: string, commit: string): Promise<boolean> {
  return (await gitRun(root, ['merge-base', '--is-ancestor', commit, tip], { allowFail: true })).code === 0;
}

async function fetchOnce(root: string, remote: string, base: string, tracking: string): Promise<string | undefined> {
  const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet', remote, `+refs/heads/${base}:${tracking}`];
  let last = '';
  // Agents starting together fetch into one repository; a ref lock held by a sibling is worth a retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await gitRun(root, args, { allowFail: true, timeoutMs: FETCH_TIMEOUT_MS });
    if (r.code === 0) return undefined;
    last = firstLine(r.stderr) || `git fetch exited ${r.code}`;
    if (!/lock/i.test(r.stderr)) break;
    await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1) + Math.random() * 100));
  }
  return last;
}
