import { existsSync } from 'node:fs';
import { samePath } from './paths.js';
import { git } from './run.js';

export interface WorktreeEntry {
  path: string;
  /** Absent in a repository without commits. */
  head?: string;
  /** Short branch name, when a branch is checked out. */
  branch?: string;
  detached: boolean;
  bare: boolean;
  /** Present when locked; the reason, or '' when none was given. */
  locked?: string;
  /** Its directory is gone: `git worktree prune` would drop it. */
  missing: boolean;
}

/** Every registered worktree, the main one first (`git worktree list --porcelain`). */
export async function listWorktrees(root: string): Promise<WorktreeEntry[]> {
  const out = await git(root, ['worktree', 'list', '--porcelain']);
  const entries: WorktreeEntry[] = [];
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l !== '');
    const first = lines[0];
    if (!first?.startsWith('worktree ')) continue;
    const entry: WorktreeEntry = { path: first.slice('worktree '.length), detached: false, bare: false, missing: false };
    for (const line of lines.slice(1)) {
      const [key, ...rest] = line.split(' ');
      const value = rest.join(' ');
      if (key === 'HEAD') entry.head = value;
      else if (key === 'branch') entry.branch = value.replace(/^refs\/heads\//, '');
      else if (key === 'detached') entry.detached = true;
      else if (key === 'bare') entry.bare = true;
      else if (key === 'locked') entry.locked = value;
      else if (key === 'prunable') entry.missing = true;
    }
    // Older git prints no `prunable`: look for ourselves.
    if (!entry.missing && !entry.bare && !existsSync(entry.path)) entry.missing = true;
    entries.push(entry);
  }
  return entries;
}

export async function findWorktree(root: string, worktreePath: string): Promise<WorktreeEntry | undefined> {
  return (await listWorktrees(root)).find((e) => samePath(e.path, worktreePath));
}
