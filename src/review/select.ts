import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { ReviewConfig } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { layoutFor } from '../core/paths.js';
import { hasRemote } from '../git/base.js';
import type { GitIdentity } from '../git/run.js';
import { createGithubReview, type GithubReview } from './github.js';
import { createLocalReview, type LocalReview } from './local.js';

export interface SelectedReview {
  backend: GithubReview | LocalReview;
  /** Why this back end, for `status` and `--dry-run`. */
  reason: string;
}

export interface SelectOptions {
  /** Environment for gh (PATH, GH_TOKEN); default the process's own. */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  identity?: GitIdentity;
  testTimeoutMs?: number;
}

/**
 * Pick the review back end from `review.backend`: `auto` is github when the
 * repository has the configured remote and gh is on PATH, else local. An
 * explicit `github` that cannot work is an error, never a silent fallback.
 */
export async function selectReviewBackend(
  root: string,
  review: ReviewConfig,
  options: SelectOptions = {},
): Promise<SelectedReview> {
  const local = () =>
    createLocalReview({
      layout: layoutFor(root),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(review.test_command ? { testCommand: review.test_command } : {}),
      ...(options.testTimeoutMs ? { testTimeoutMs: options.testTimeoutMs } : {}),
      ...(options.identity ? { identity: options.identity } : {}),
    });
  const github = () => createGithubReview({ root, ...(options.env ? { env: options.env } : {}) });
  if (review.backend === 'local') return { backend: local(), reason: 'review.backend is local' };

  const remote = await hasRemote(root, review.remote);
  const gh = findOnPath('gh', options.env?.PATH ?? process.env.PATH ?? '');
  if (review.backend === 'github') {
    if (!remote)
      throw new ExitError(
        `review.backend is github but the repository has no remote ${review.remote}; add it (git remote add ${review.remote} <url>) or set review.backend: local`,
      );
    if (!gh)
      throw new ExitError(
        'review.backend is github but gh is not on PATH; install the GitHub CLI (https://cli.github.com) or set review.backend: local',
      );
    return { backend: github(), reason: `review.backend is github (gh at ${gh})` };
  }
  if (!remote)
    return { backend: local(), reason: `auto: no remote ${review.remote}, so reviews wait in the local queue` };
  if (!gh)
    return {
      backend: local(),
      reason: `auto: remote ${review.remote} exists but gh is not on PATH, so reviews wait in the local queue`,
    };
  return { backend: github(), reason: `auto: remote ${review.remote} exists and gh is at ${gh}` };
}

/** The first executable `name` on a PATH string, or undefined. */
export function findOnPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
