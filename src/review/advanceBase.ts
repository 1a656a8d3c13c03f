import { gitRun, revParse } from '../git/run.js';
import { uncommittedPaths } from '../git/workState.js';
import { listWorktrees, type WorktreeEntry } from '../git/worktreeList.js';
import { firstLine } from '../process/firstLine.js';

export type AdvanceResult =
  | { ok: true; how: 'update-ref' | 'merge-ff' }
  | ({ ok: false; code: 'dirty_base' } & DirtyBase)
  | { ok: false; code: 'base_moved' | 'error'; reason: string };

/** The checkout holding the base, with a person's uncommitted changes in it. */
export interface DirtyBase {
  reason: string;
  checkout: string;
  /** Tracked paths changed or staged there. */
  changed: string[];
}

/**
 * Fast-forward `base` from `from` to `to` without disturbing anyone's work.
 *
 * Where the base is not checked out, `update-ref` with the expected old value
 * moves it atomically (it fails if someone moved the base meanwhile). Where it
 * is checked out (a person's working copy), moving the ref alone would leave
 * that index and work tree describing the old commit, so the checkout itself
 * is fast-forwarded with `merge --ff-only`, and only when it has no tracked
 * changes; untracked files stay, and git refuses if one would be overwritten.
 */
export async function advanceBase(
  root: string,
  options: { base: string; from: string; to: string; message: string },
): Promise<AdvanceResult> {
  const holder = await checkedOutIn(root, options.base);
  if (holder) {
    const blocked = await dirtyBase(holder, options.base);
    if (blocked) return { ok: false, code: 'dirty_base', ...blocked };
  }
  const now = await revParse(root, `refs/heads/${options.base}`);
  if (now !== options.from) {
    return {
      ok: false,
      code: 'base_moved',
      reason: `${options.base} moved to ${now?.slice(0, 12) ?? 'nothing'} during the merge; approve it again to retry`,
    };
  }
  if (!holder) {
    const r = await gitRun(
      root,
      ['update-ref', '-m', options.message, `refs/heads/${options.base}`, options.to, options.from],
      { allowFail: true },
    );
    if (r.code === 0) return { ok: true, how: 'update-ref' };
    return { ok: false, code: 'base_moved', reason: `could not move ${options.base}: ${firstLine(r.stderr)}` };
  }
  const r = await gitRun(holder.path, ['merge', '--ff-only', '--quiet', options.to], { allowFail: true });
  if (r.code === 0) return { ok: true, how: 'merge-ff' };
  return {
    ok: false,
    code: 'error',
    reason: `fast-forward of ${options.base} in ${holder.path} refused: ${firstLine(r.stderr) || firstLine(r.stdout)}`,
  };
}

export async function checkedOutIn(root: string, branch: string): Promise<WorktreeEntry | undefined> {
  return (await listWorktrees(root)).find((e) => e.branch === branch && !e.missing && !e.bare);
}

/** Why the checkout holding `base` cannot be fast-forwarded now, or undefined when it can. */
export async function dirtyBase(holder: WorktreeEntry, base: string): Promise<DirtyBase | undefined> {
  const changed = await uncommittedPaths(holder.path, { untracked: false });
  if (changed.length === 0) return undefined;
  return {
    reason: `${dirtyCheckout(base, holder.path, changed)}; commit or stash them, then approve again`,
    checkout: holder.path,
    changed,
  };
}

/** `main is checked out in /repo with uncommitted changes (a, b, ...)` */
export function dirtyCheckout(base: string, checkout: string, changed: readonly string[]): string {
  const some = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ', ...' : '');
  return `${base} is checked out in ${checkout} with uncommitted changes (${some})`;
}
