import { type EnsuredBranch, ensureBranch } from './branch.js';
import { type GitIdentity, git, gitRun } from './run.js';
import { TICKFLEET_FILES, uncommittedPaths } from './workState.js';

export interface SaveWipOptions {
  /** Branch that keeps the work, e.g. `agent/<task-id>`. */
  branch: string;
  message: string;
  identity: GitIdentity;
}

export interface SavedWip extends EnsuredBranch {
  /** True when uncommitted work was committed (false: there was none). */
  committed: boolean;
  /** The paths that went into the WIP commit. */
  files: string[];
}

/**
 * Keep partial work after a timeout or a turn limit: commit whatever is
 * uncommitted (tickfleet's own files left out) and point `branch` at HEAD.
 * The next attempt starts from that branch (`createTaskWorktree({startFrom})`).
 * Hooks and signing are skipped: a WIP commit must not fail on a lint hook or
 * wait for a passphrase.
 */
export async function saveWip(worktree: string, options: SaveWipOptions): Promise<SavedWip> {
  const files = await uncommittedPaths(worktree);
  let committed = false;
  if (files.length > 0) {
    // No `:(exclude)` pathspecs here: git refuses a pathspec that names an
    // ignored file, and tickfleet's files usually are ignored (info/exclude).
    await git(worktree, ['add', '-A', '--', '.']);
    // Unstage tickfleet's own files, whether `add -A` or the agent staged them.
    await git(worktree, ['reset', '-q', '--', ...TICKFLEET_FILES.map((f) => f.replace(/\/$/, ''))]);
    // Some changes stage nothing (a submodule's untracked files): then there is nothing to commit.
    const staged = await gitRun(worktree, ['diff', '--cached', '--quiet'], { allowFail: true });
    if (staged.code === 1) {
      await git(worktree, ['-c', 'commit.gpgsign=false', 'commit', '--no-verify', '-q', '-m', options.message], {
        identity: options.identity,
      });
      committed = true;
    }
  }
  const branch = await ensureBranch(worktree, options.branch);
  return { ...branch, committed, files: committed ? files : [] };
}
