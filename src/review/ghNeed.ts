import type { ReviewConfig } from '../config/agentsConfig.js';

/**
 * Whether the fleet needs the GitHub CLI, by the rule the review back end is
 * chosen by (select.ts): only reviews that go to GitHub use gh. `doctor` and
 * `setup` both ask this, so they never disagree.
 */
export interface GhNeed {
  /** required: github is configured; wanted: auto with a remote (it falls back to the local queue without gh); unneeded: reviews stay local. */
  level: 'required' | 'wanted' | 'unneeded';
  /** The configuration that decides it, as a person reads it. */
  why: string;
  /** What goes wrong without gh; empty when nothing does. */
  without: string;
}

export function ghNeed(review: Pick<ReviewConfig, 'backend' | 'remote'>, withRemote: boolean): GhNeed {
  const { backend, remote } = review;
  if (backend === 'local') return { level: 'unneeded', why: 'review.backend is local', without: '' };
  if (backend === 'github')
    return { level: 'required', why: 'review.backend is github', without: 'no PR can be opened' };
  if (!withRemote)
    return { level: 'unneeded', why: `review.backend is auto and there is no remote ${remote}`, without: '' };
  return {
    level: 'wanted',
    why: `review.backend is auto with remote ${remote}`,
    without: 'reviews wait in the local queue instead of PRs',
  };
}
