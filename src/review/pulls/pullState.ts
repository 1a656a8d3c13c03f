/**
 * One entry of a PR's `statusCheckRollup` as gh prints it: a check run of
 * a CI workflow, or a commit status (tickfleet's own `tickfleet/<check>`
 * among them).
 */
export interface RollupEntry {
  __typename?: string;
  /** A check run's name. */
  name?: string;
  /** A commit status's context. */
  context?: string;
  /** A check run: QUEUED, IN_PROGRESS, COMPLETED. */
  status?: string;
  /** A completed check run: SUCCESS, FAILURE, TIMED_OUT, CANCELLED, NEUTRAL, SKIPPED, ... */
  conclusion?: string;
  /** A commit status: SUCCESS, FAILURE, ERROR, PENDING, EXPECTED. */
  state?: string;
  /** A check run's page: `.../actions/runs/<run id>/job/<job id>` for GitHub Actions. */
  detailsUrl?: string;
  targetUrl?: string;
  workflowName?: string;
}

/** One PR of tickfleet's branches as the tick's poll saw it. */
export interface PullState {
  number: number;
  url: string;
  headRefName: string;
  /** The head commit: events are remembered per PR and head. */
  headRefOid: string;
  baseRefName: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  mergedAt?: string | null;
  closedAt?: string | null;
  /** APPROVED, CHANGES_REQUESTED, REVIEW_REQUIRED, or empty. */
  reviewDecision?: string | null;
  statusCheckRollup?: RollupEntry[] | null;
  /** Each reviewer's latest review: tells a new "changes requested" from one already acted on. */
  latestReviews?: { state?: string; submittedAt?: string }[] | null;
}

/** What the last tick's poll saw, for `status` and the open count between ticks. */
export interface PullPoll {
  /** When the PRs below were read. */
  at: string;
  prs: PullState[];
  /** The last poll failed: when and why; `prs` are then those of the poll before. */
  error?: { at: string; message: string };
}
