import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pruneWorktrees } from './prune.js';
import { git, gitRun } from './run.js';
import { uncommittedPaths } from './workState.js';
import { findWorktree } from './worktreeList.js';

/**
 * A spare worktree: a detached checkout made ahead of time (while the agent
 * works on its current run), so the agent's next run starts by moving it into
 * place instead of waiting for git to write every file of the repository.
 * Nobody ever works in a spare; one that is not clean is discarded.
 */

/**
 * Move the spare to `target`, checked out at `startSha`. Returns false (and
 * discards a spare that is unusable) when there is none to take: the caller
 * then creates the worktree the usual way.
 */
export async function takeSpare(root: string, spare: string, target: string, startSha: string): Promise<boolean> {
  if (!existsSync(spare)) return false;
  const entry = await findWorktree(root, spare);
  if (!entry || entry.missing || entry.locked !== undefined) {
    await discardSpare(root, spare);
    return false;
  }
  // A runner killed while checking the spare out leaves files missing or extra: not a clean spare.
  if ((await uncommittedPaths(spare)).length > 0) {
    await discardSpare(root, spare);
    return false;
  }
  const moved = await gitRun(spare, ['checkout', '--detach', '--quiet', startSha], { allowFail: true });
  if (moved.code !== 0) {
    await discardSpare(root, spare);
    return false;
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  await git(root, ['worktree', 'move', spare, target]);
  return true;
}

/** Check out a new spare at `startRef`, unless a usable one is already there. */
export async function prepareSpare(root: string, spare: string, startRef: string): Promise<'created' | 'kept'> {
  if (existsSync(spare)) {
    const entry = await findWorktree(root, spare);
    if (entry && !entry.missing && (await uncommittedPaths(spare)).length === 0) return 'kept';
    await discardSpare(root, spare);
  }
  await fs.mkdir(path.dirname(spare), { recursive: true });
  await git(root, ['worktree', 'add', '--detach', '--quiet', spare, startRef]);
  return 'created';
}

/** A spare holds no work by construction: remove it whatever state it is in. */
async function discardSpare(root: string, spare: string): Promise<void> {
  await gitRun(root, ['worktree', 'remove', '--force', '--force', spare], { allowFail: true });
  await fs.rm(spare, { recursive: true, force: true });
  await pruneWorktrees(root);
}
