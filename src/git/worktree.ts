import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { fetchBase } from './base.js';
import { moveLeftoverAside } from './leftover.js';
import { samePath } from './paths.js';
import { busyReason } from './processesInside.js';
import { pruneWorktrees } from './prune.js';
import { git, gitRun, revParse } from './run.js';
import { takeSpare } from './spare.js';
import { findWorktree } from './worktreeList.js';

export interface CreateWorktreeOptions {
  path: string;
  /** The base branch name (`main`). */
  base: string;
  /** Fetch the base from this remote first, when the repository has it. */
  remote?: string;
  /** A branch from a previous attempt to continue from, when it exists. */
  startFrom?: string;
  /** A spare checkout (see spare.ts) to move into place instead of checking out anew. */
  spare?: string;
  /** Merges land in the local base branch: start from it when it is ahead of the remote's (see fetchBase). */
  preferLocalBase?: boolean;
  /** Where a leftover folder at `path` that git does not know is moved; default `<path>/../../rescued`. */
  rescueDir?: string;
}

export interface TaskWorktree {
  path: string;
  head: string;
  /** `reused`: a healthy worktree was already there (a retry); `wip`: started at `startFrom`; `base`: at the base. */
  from: 'reused' | 'wip' | 'base';
  /** True when the spare checkout was moved into place rather than a new one made. */
  fromSpare?: boolean;
  /** The ref the base was read from (`refs/remotes/origin/main` or `refs/heads/main`) and its sha. */
  baseRef: string;
  baseSha: string;
  /** Set when the fetch failed and the local base was used. */
  fetchError?: string;
  /** Where a leftover folder found at the path was moved, files and all. */
  rescued?: string;
}

/**
 * A detached worktree for one task. Detached, so the base branch is never
 * checked out here (git allows a branch in one worktree only, and the main
 * work tree may hold it). A healthy worktree already at `path` is reused
 * untouched: it may hold a previous attempt's work. Neither it nor a
 * leftover folder is touched while a process still works inside it.
 */
export async function createTaskWorktree(root: string, options: CreateWorktreeOptions): Promise<TaskWorktree> {
  const target = path.resolve(options.path);
  const base = await fetchBase(root, options.remote, options.base, { preferLocal: options.preferLocalBase === true });
  const baseInfo = {
    baseRef: base.ref,
    baseSha: base.sha,
    ...(base.fetchError ? { fetchError: base.fetchError } : {}),
  };

  const existing = await findWorktree(root, target);
  if (existing && !existing.missing) {
    const busy = await busyReason(target);
    if (busy) throw new ExitError(`worktree ${target} is not reused: ${busy}`);
    // repair exits 1 after reporting what it fixed: judge by the health check, not its exit code.
    if (!(await isHealthy(target))) await gitRun(root, ['worktree', 'repair', target], { allowFail: true });
    if (!(await isHealthy(target))) {
      throw new ExitError(
        `worktree ${target} is registered but broken; inspect it, then run git worktree remove --force ${target}`,
      );
    }
    return { path: target, head: await git(target, ['rev-parse', 'HEAD']), from: 'reused', ...baseInfo };
  }
  // A registration whose directory is gone blocks `worktree add` at that path.
  if (existing) await pruneWorktrees(root);
  const rescued = existsSync(target)
    ? await moveLeftoverAside(target, options.rescueDir ?? path.join(path.dirname(target), '..', 'rescued'))
    : undefined;
  if (rescued) Object.assign(baseInfo, { rescued });

  const wip = options.startFrom ? await revParse(root, `refs/heads/${options.startFrom}`) : undefined;
  const start = wip ?? base.sha;
  if (options.spare && (await takeSpare(root, options.spare, target, start))) {
    return { path: target, head: start, from: wip ? 'wip' : 'base', fromSpare: true, ...baseInfo };
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  await git(root, ['worktree', 'add', '--detach', '--quiet', target, start]);
  return { path: target, head: start, from: wip ? 'wip' : 'base', ...baseInfo };
}

async function isHealthy(worktree: string): Promise<boolean> {
  if (!existsSync(worktree)) return false;
  const r = await gitRun(worktree, ['rev-parse', '--show-toplevel'], { allowFail: true });
  if (r.code !== 0 || !samePath(r.stdout.trim(), worktree)) return false;
  return (await revParse(worktree, 'HEAD')) !== undefined;
}
