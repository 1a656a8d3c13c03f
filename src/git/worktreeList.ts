import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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
  return parseWorktreeList(await git(root, ['worktree', 'list', '--porcelain']));
}

/** The entries of `git worktree list --porcelain`, in its order. */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l !== '');
    const first = lines[0];
    if (!first?.startsWith('worktree ')) continue;
    const entry: WorktreeEntry = {
      path: first.slice('worktree '.length),
      detached: false,
      bare: false,
      missing: false,
    };
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

/**
 * The paths of the linked worktrees git has registered, read straight from
 * `.git/worktrees/<name>/gitdir` (each holds `<worktree>/.git`), without
 * starting git. A tick with nothing to clean up then costs no process spawn.
 * Undefined when the layout is not the plain one (`.git` is a file, as in a
 * submodule or a linked worktree; a missing or odd entry): ask git instead.
 */
export function registeredWorktreePaths(root: string): string[] | undefined {
  const gitDir = path.join(root, '.git');
  try {
    if (!statSync(gitDir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  let names: string[];
  try {
    names = readdirSync(path.join(gitDir, 'worktrees'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
  const paths: string[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(path.join(gitDir, 'worktrees', name, 'gitdir'), 'utf8').trim();
    } catch {
      return undefined;
    }
    if (!path.isAbsolute(text) || path.basename(text) !== '.git') return undefined;
    paths.push(path.dirname(text));
  }
  return paths;
}
