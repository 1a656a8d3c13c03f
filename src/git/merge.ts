import { firstLine } from '../process/firstLine.js';
import { type GitIdentity, git, gitRun } from './run.js';

export type MergeResult =
  | { ok: true; head: string; previous: string; alreadyUpToDate: boolean }
  | { ok: false; conflicts: string[]; message: string; head: string };

/**
 * Merge `from` into the worktree's HEAD with a merge commit. When
 * `leaveConflicts` is false a conflicting merge is aborted, leaving HEAD as it
 * was; when true the conflict markers are left in the files for an agent to
 * resolve and commit (the next attempt of a task whose branch conflicts).
 */
export async function mergeInto(
  worktree: string,
  options: { from: string; identity: GitIdentity; message: string; leaveConflicts?: boolean },
): Promise<MergeResult> {
  const previous = await git(worktree, ['rev-parse', 'HEAD']);
  const r = await gitRun(
    worktree,
    ['-c', 'commit.gpgsign=false', 'merge', '--no-ff', '--no-verify', '-m', options.message, options.from],
    {
      allowFail: true,
      identity: options.identity,
    },
  );
  if (r.code === 0) {
    const head = await git(worktree, ['rev-parse', 'HEAD']);
    return { ok: true, head, previous, alreadyUpToDate: head === previous };
  }
  const unmerged = await git(worktree, ['diff', '--name-only', '--diff-filter=U', '-z'], { allowFail: true });
  const conflicts = unmerged.split('\0').filter((p) => p !== '');
  if (!options.leaveConflicts || conflicts.length === 0)
    await gitRun(worktree, ['merge', '--abort'], { allowFail: true });
  const message =
    conflicts.length > 0
      ? `merging ${options.from} conflicts in ${conflicts.join(', ')}`
      : `merging ${options.from} failed: ${firstLine(r.stderr) || firstLine(r.stdout)}`;
  return { ok: false, conflicts, message, head: previous };
}
