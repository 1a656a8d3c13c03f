import path from 'node:path';
import { diskUsage } from './diskUsage.js';
import { canonicalPath, isInside } from './paths.js';
import { saveToBranch, unpreservedCount } from './preserve.js';
import { removeWorktree } from './remove.js';
import { uncommittedPaths } from './workState.js';
import { listWorktrees, registeredWorktreePaths } from './worktreeList.js';

export interface OrphanWorktree {
  path: string;
  head?: string;
  branch?: string;
  /** No uncommitted work (tickfleet's own files and ignored files do not count). */
  clean: boolean;
  uncommitted: string[];
  /** Commits on HEAD that no branch, tag, remote-tracking or tickfleet ref keeps: lost if the worktree went. */
  unpushed: number;
  bytes: number;
  locked: boolean;
  /** Registered, but its directory is gone. */
  missing: boolean;
}

export interface OrphanQuery {
  /** Only worktrees inside this folder are tickfleet's (`layout.agents`). */
  managedDir: string;
  /** Worktrees a live run is using. */
  inUse: Set<string>;
}

/** tickfleet worktrees no run is using. Read-only. */
export async function findOrphanWorktrees(root: string, query: OrphanQuery): Promise<OrphanWorktree[]> {
  const inUse = new Set([...query.inUse].map(canonicalPath));
  const orphans: OrphanWorktree[] = [];
  const isCandidate = (p: string): boolean => isInside(p, query.managedDir) && !inUse.has(canonicalPath(p));
  // Most ticks have nothing to clean up: when git's own records say so, skip starting git.
  const registered = registeredWorktreePaths(root);
  if (registered && !registered.some(isCandidate)) return orphans;
  for (const entry of await listWorktrees(root)) {
    if (entry.bare || !isCandidate(entry.path)) continue;
    const uncommitted = entry.missing ? [] : await uncommittedPaths(entry.path);
    // A checked-out branch keeps its commits; only a detached HEAD can strand them.
    const unpushed = entry.head && !entry.branch ? await unpreservedCount(root, entry.head) : 0;
    orphans.push({
      path: entry.path,
      ...(entry.head ? { head: entry.head } : {}),
      ...(entry.branch ? { branch: entry.branch } : {}),
      clean: uncommitted.length === 0,
      uncommitted,
      unpushed,
      bytes: entry.missing ? 0 : await diskUsage(entry.path),
      locked: entry.locked !== undefined,
      missing: entry.missing,
    });
  }
  return orphans;
}

export interface OrphanCleanup {
  removed: string[];
  /** Worktrees whose stranded commits were put on a branch before removal. */
  saved: { path: string; branch: string; head: string }[];
  kept: { path: string; reason: string }[];
}

/**
 * Remove orphan worktrees that hold no work. Uncommitted work keeps the
 * worktree. Commits no ref keeps are first put on a `tickfleet/saved/...`
 * branch (a branch keeps them as well as the worktree would, without the
 * disk), unless `saveUnpushed` is false, in which case the worktree is kept.
 */
export async function removeCleanOrphans(
  root: string,
  query: OrphanQuery & { saveUnpushed?: boolean },
): Promise<OrphanCleanup> {
  const result: OrphanCleanup = { removed: [], saved: [], kept: [] };
  for (const orphan of await findOrphanWorktrees(root, query)) {
    if (orphan.locked) {
      result.kept.push({ path: orphan.path, reason: 'locked (git worktree unlock to release it)' });
      continue;
    }
    if (!orphan.clean) {
      result.kept.push({ path: orphan.path, reason: `uncommitted work: ${orphan.uncommitted.slice(0, 5).join(', ')}` });
      continue;
    }
    if (orphan.unpushed > 0 && orphan.head) {
      if (query.saveUnpushed === false) {
        result.kept.push({ path: orphan.path, reason: `${orphan.unpushed} commit(s) no branch keeps` });
        continue;
      }
      const branch = await saveToBranch(root, orphan.head, `${path.basename(orphan.path)}-${orphan.head.slice(0, 8)}`);
      result.saved.push({ path: orphan.path, branch, head: orphan.head });
    }
    // removeWorktree repeats the checks, so work that appeared since the scan is still refused.
    try {
      await removeWorktree(root, orphan.path);
      result.removed.push(orphan.path);
    } catch (err) {
      result.kept.push({ path: orphan.path, reason: (err as Error).message });
    }
  }
  return result;
}
