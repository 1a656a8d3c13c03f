import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { isInside, samePath } from '../git/paths.js';
import { pruneWorktrees } from '../git/prune.js';
import { git, gitRun } from '../git/run.js';
import { listWorktrees } from '../git/worktreeList.js';
import { mergeQueueStateDir } from './state.js';

/** The one scratch worktree a batch is stacked and tested in (detached: no branch moves while it works). */
export function scratchPath(layout: Layout): string {
  return path.join(mergeQueueStateDir(layout), 'scratch');
}

/** A fresh scratch worktree at `commit`; whatever a killed batch left there goes first. */
export async function freshScratch(layout: Layout, commit: string): Promise<string> {
  await clearScratch(layout);
  const dir = scratchPath(layout);
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await git(layout.root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  return dir;
}

/** Put the scratch worktree at `commit`, with nothing of an earlier test run left in it. */
export async function scratchAt(dir: string, commit: string): Promise<void> {
  await git(dir, ['checkout', '--quiet', '--force', '--detach', commit]);
  await git(dir, ['clean', '-fdq']);
}

/** Nothing in the scratch tree is unique: its commits are on the base or are copies of approved branches. */
export async function clearScratch(layout: Layout): Promise<void> {
  const dir = scratchPath(layout);
  for (const entry of await listWorktrees(layout.root)) {
    if (samePath(entry.path, dir) || isInside(entry.path, dir))
      await gitRun(layout.root, ['worktree', 'remove', '--force', entry.path], { allowFail: true });
  }
  await fs.rm(dir, { recursive: true, force: true });
  await pruneWorktrees(layout.root);
}
