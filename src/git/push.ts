import { ExitError } from '../core/errors.js';
import { git, revParse } from './run.js';

export interface PushOptions {
  remote: string;
  branch: string;
  /**
   * Overwrite the remote branch only if it is where we last saw it: `true`
   * uses the remote-tracking ref as the expected value (a branch we never
   * fetched must not exist remotely), a sha names it explicitly.
   */
  forceWithLease?: boolean | string;
  /** The remote branch to push to; default the same name. */
  to?: string;
}

const PUSH_TIMEOUT_MS = 300_000;

/** Push a local branch to the same name (or `to`) on `remote`; returns the sha pushed. Runs from the main work tree or any worktree. */
export async function pushBranch(
  cwd: string,
  options: PushOptions,
): Promise<{ remote: string; branch: string; head: string }> {
  const ref = `refs/heads/${options.branch}`;
  const head = await revParse(cwd, ref);
  if (!head) throw new ExitError(`cannot push ${options.branch}: no such local branch in ${cwd}`);
  const lease = options.forceWithLease;
  const target = `refs/heads/${options.to ?? options.branch}`;
  const leaseArgs =
    lease === undefined || lease === false
      ? []
      : [typeof lease === 'string' ? `--force-with-lease=${target}:${lease}` : `--force-with-lease=${target}`];
  await git(cwd, ['push', '--quiet', '--no-recurse-submodules', ...leaseArgs, options.remote, `${ref}:${target}`], {
    timeoutMs: PUSH_TIMEOUT_MS,
  });
  return { remote: options.remote, branch: options.branch, head };
}
