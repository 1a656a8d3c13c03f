import path from 'node:path';
import { saveToBranch, unpreservedCount } from './preserve.js';
import { git } from './run.js';
import { listWorktrees } from './worktreeList.js';

/**
 * `git worktree prune`, but first save the commits of any vanished worktree
 * whose detached HEAD nothing else keeps (prune deletes that HEAD, and with it
 * the only pointer to those commits). Returns the branches created.
 */
export async function pruneWorktrees(root: string): Promise<string[]> {
  const saved: string[] = [];
  for (const entry of await listWorktrees(root)) {
    if (!entry.missing || entry.locked !== undefined || !entry.head || entry.branch) continue;
    if ((await unpreservedCount(root, entry.head)) > 0) {
      saved.push(await saveToBranch(root, entry.head, `${path.basename(entry.path)}-${entry.head.slice(0, 8)}`));
    }
  }
  await git(root, ['worktree', 'prune']);
  return saved;
}
