import { firstLine } from '../../process/firstLine.js';
import type { GhCall } from './poll.js';

export type GithubMergeMethod = 'merge' | 'squash' | 'rebase';

export type AutoMergeResult = { enabled: true } | { enabled: false; reason: string };

/**
 * Ask GitHub to merge an approved PR once its own gates allow it
 * (`gh pr merge --auto`): branch protection, required checks and the
 * repository's merge queue, where it uses them, decide when it lands. A PR
 * GitHub refuses auto-merge for (auto-merge off in the repository, a
 * method it does not allow) says why in one line.
 */
export async function enableAutoMerge(gh: GhCall, pr: number, method: GithubMergeMethod): Promise<AutoMergeResult> {
  try {
    await gh(['pr', 'merge', String(pr), '--auto', `--${method}`]);
    return { enabled: true };
  } catch (err) {
    return { enabled: false, reason: firstLine((err as Error).message) };
  }
}
