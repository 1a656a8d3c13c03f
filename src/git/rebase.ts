import { firstLine } from '../process/firstLine.js';
import { type GitIdentity, git, gitRun } from './run.js';
import { uncommittedPaths } from './workState.js';

export type RebaseResult =
  | { ok: true; head: string; previous: string }
  | {
      ok: false;
      /** `dirty`: tracked changes were in the way, nothing was tried; `failed`: git refused for another reason. */
      reason: 'conflict' | 'dirty' | 'failed';
      /** Paths that conflicted. */
      conflicts: string[];
      message: string;
      /** HEAD, unchanged. */
      head: string;
    };

/**
 * Rebase the worktree's HEAD onto `onto`. On a conflict the rebase is
 * aborted, so HEAD (and any branch) is left exactly as it was, and the
 * conflicting paths are returned for a fix task: never a discarded branch.
 */
export async function rebaseOnto(
  worktree: string,
  options: { onto: string; identity?: GitIdentity },
): Promise<RebaseResult> {
  const previous = await git(worktree, ['rev-parse', 'HEAD']);
  const dirty = await uncommittedPaths(worktree, { untracked: false });
  if (dirty.length > 0) {
    return {
      ok: false,
      reason: 'dirty',
      conflicts: [],
      head: previous,
      message: `worktree ${worktree} has uncommitted changes (${dirty.slice(0, 3).join(', ')}); save them (saveWip) before rebasing`,
    };
  }
  // Pin settings a user's config could change: no autostash, no moving of other branches (git >= 2.38).
  const args = [
    '-c',
    'rebase.autoStash=false',
    '-c',
    'rebase.updateRefs=false',
    '-c',
    'rebase.autoSquash=false',
    'rebase',
    options.onto,
  ];
  const r = await gitRun(worktree, args, {
    allowFail: true,
    ...(options.identity ? { identity: options.identity } : {}),
  });
  if (r.code === 0) return { ok: true, head: await git(worktree, ['rev-parse', 'HEAD']), previous };

  const unmerged = await git(worktree, ['diff', '--name-only', '--diff-filter=U', '-z'], { allowFail: true });
  const conflicts = unmerged.split('\0').filter((p) => p !== '');
  const said = `${r.stdout}\n${r.stderr}`;
  const conflictLine = said.split('\n').find((l) => l.startsWith('CONFLICT'));
  await gitRun(worktree, ['rebase', '--abort'], { allowFail: true });
  const head = await git(worktree, ['rev-parse', 'HEAD']);
  const message =
    conflicts.length > 0
      ? `rebase of ${previous.slice(0, 12)} onto ${options.onto} in ${worktree} conflicts in ${conflicts.join(', ')}${conflictLine ? ` (${conflictLine.trim()})` : ''}; rebase aborted, nothing changed`
      : `rebase onto ${options.onto} in ${worktree} failed: ${firstLine(r.stderr) || firstLine(r.stdout)}`;
  return { ok: false, reason: conflicts.length > 0 ? 'conflict' : 'failed', conflicts, message, head };
}
