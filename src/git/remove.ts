import { existsSync } from 'node:fs';
import { ExitError } from '../core/errors.js';
import { unpreservedCount } from './preserve.js';
import { busyReason } from './processesInside.js';
import { pruneWorktrees } from './prune.js';
import { git } from './run.js';
import { uncommittedPaths } from './workState.js';
import { findWorktree } from './worktreeList.js';

/**
 * Remove a worktree. Without `force` it refuses when the worktree holds
 * uncommitted work or commits that no branch keeps; tickfleet's own files
 * (instructions, slash commands) and ignored files do not count as work.
 * `force` removes it regardless: the caller has saved what matters. Never
 * while a process works inside it, force or not: that process would go on in
 * a folder git no longer knows.
 */
export async function removeWorktree(
  root: string,
  worktreePath: string,
  options: { force?: boolean } = {},
): Promise<void> {
  const entry = await findWorktree(root, worktreePath);
  if (!entry) {
    if (existsSync(worktreePath)) throw new ExitError(`${worktreePath} is not a worktree of ${root}; nothing removed`);
    return;
  }
  if (entry.missing) {
    await pruneWorktrees(root);
    return;
  }
  if (!options.force) {
    if (entry.locked !== undefined) {
      throw new ExitError(
        `worktree ${worktreePath} is locked${entry.locked ? ` (${entry.locked})` : ''}; run git worktree unlock first`,
      );
    }
    const dirty = await uncommittedPaths(entry.path);
    if (dirty.length > 0) {
      throw new ExitError(
        `worktree ${worktreePath} has uncommitted work (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', ...' : ''}); save it with saveWip first`,
      );
    }
    const lost = entry.head && !entry.branch ? await unpreservedCount(root, entry.head) : 0;
    if (lost > 0) {
      throw new ExitError(
        `worktree ${worktreePath} has ${lost} commit(s) no branch keeps; point a branch at them (ensureBranch) first`,
      );
    }
  }
  const busy = await busyReason(entry.path);
  if (busy) throw new ExitError(`worktree ${worktreePath} not removed: ${busy}`);
  // Our own checks passed (or were waived), so let git drop tickfleet's untracked files with the tree.
  const force = entry.locked !== undefined ? ['--force', '--force'] : ['--force'];
  await git(root, ['worktree', 'remove', ...force, entry.path]);
}
