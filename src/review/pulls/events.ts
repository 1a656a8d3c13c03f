import type { PullState, RollupEntry } from './pullState.js';

/**
 * What happened to a PR that tickfleet acts on. `merged` and `closed` end the
 * PR; the other two belong to one head commit, so a new push re-arms them.
 */
export type PullEventKind = 'merged' | 'closed' | 'changes_requested' | 'checks_failed';

/** Per PR: its last head seen and the events already acted on (handled.ts). */
export interface PullMemory {
  head: string;
  done: PullEventKind[];
  /**
   * The "changes requested" review acted on last (reviewKey): GitHub keeps a
   * PR's decision at changes requested after a new push until the reviewer
   * looks again, and that old review must not become a second fix.
   */
  reviews_until?: string;
}

const ENDS: readonly PullEventKind[] = ['merged', 'closed'];
const FAILED_CONCLUSIONS = new Set(['FAILURE', 'TIMED_OUT', 'CANCELLED', 'ACTION_REQUIRED', 'STARTUP_FAILURE']);
const FAILED_STATES = new Set(['FAILURE', 'ERROR']);
const PENDING = new Set(['QUEUED', 'IN_PROGRESS', 'PENDING', 'EXPECTED', 'WAITING', 'REQUESTED']);

/** tickfleet's own statuses: a failed one is the gatekeeper's to act on, not CI's. */
export const OWN_CONTEXT_PREFIX = 'tickfleet/';

function nameOf(entry: RollupEntry): string {
  return entry.name ?? entry.context ?? '?';
}

function isFailed(entry: RollupEntry): boolean {
  return FAILED_CONCLUSIONS.has(entry.conclusion ?? '') || FAILED_STATES.has(entry.state ?? '');
}

function isPending(entry: RollupEntry): boolean {
  return PENDING.has(entry.status ?? '') || PENDING.has(entry.state ?? '');
}

/** The failed CI checks of a PR's head, tickfleet's own statuses left out. */
export function failedCiChecks(pr: PullState): RollupEntry[] {
  return (pr.statusCheckRollup ?? []).filter((e) => !nameOf(e).startsWith(OWN_CONTEXT_PREFIX) && isFailed(e));
}

/** The GitHub Actions run behind a check, from its details URL. */
export function runIdOf(entry: RollupEntry): string | undefined {
  return /\/actions\/runs\/(\d+)/.exec(entry.detailsUrl ?? entry.targetUrl ?? '')?.[1];
}

/**
 * The events of one polled PR not yet acted on. A PR's memory from an
 * older head keeps only its ends: reviews and checks of the new head are new.
 */
export function pendingEvents(pr: PullState, memory: PullMemory | undefined): PullEventKind[] {
  const done = new Set(
    memory ? (memory.head === pr.headRefOid ? memory.done : memory.done.filter((k) => ENDS.includes(k))) : [],
  );
  if (done.has('merged') || done.has('closed')) return [];
  const events: PullEventKind[] = [];
  if (pr.state === 'MERGED') events.push('merged');
  else if (pr.state === 'CLOSED') events.push('closed');
  else {
    if (pr.reviewDecision === 'CHANGES_REQUESTED' && memory?.reviews_until !== reviewKey(pr))
      events.push('changes_requested');
    if (failedCiChecks(pr).length > 0) events.push('checks_failed');
  }
  // A review is remembered by reviews_until, not per head.
  return events.filter((e) => e === 'changes_requested' || !done.has(e));
}

/**
 * Which "changes requested" this is: the newest such review's time (from the
 * poll's latestReviews), else the head it was seen on.
 */
export function reviewKey(pr: PullState): string {
  const newest = (pr.latestReviews ?? [])
    .filter((r) => r.state === 'CHANGES_REQUESTED' && r.submittedAt)
    .map((r) => r.submittedAt!)
    .sort()
    .pop();
  return newest ?? `head:${pr.headRefOid}`;
}

/** The memory after acting on `acted` for this PR's head. */
export function remember(
  pr: PullState,
  memory: PullMemory | undefined,
  acted: readonly PullEventKind[],
  reviewsUntil?: string,
): PullMemory {
  const kept = memory
    ? memory.head === pr.headRefOid
      ? memory.done
      : memory.done.filter((k) => ENDS.includes(k))
    : [];
  const until = reviewsUntil ?? memory?.reviews_until;
  return { head: pr.headRefOid, done: [...new Set([...kept, ...acted])], ...(until ? { reviews_until: until } : {}) };
}

/** One line for `status`: `#12 agent/T-1: checks failing (ci/test), changes requested`. */
export function describePull(pr: PullState): string {
  const rollup = pr.statusCheckRollup ?? [];
  const failed = rollup.filter(isFailed).map(nameOf);
  const pending = rollup.filter(isPending).map(nameOf);
  const checks =
    rollup.length === 0
      ? 'no checks'
      : failed.length > 0
        ? `checks failing (${failed.join(', ')})`
        : pending.length > 0
          ? `checks running (${pending.length} of ${rollup.length})`
          : 'checks passing';
  const review = REVIEW_WORDS[pr.reviewDecision ?? ''] ?? 'no review yet';
  return `#${pr.number} ${pr.headRefName}: ${checks}, ${review}`;
}

const REVIEW_WORDS: Record<string, string> = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes requested',
  REVIEW_REQUIRED: 'review required',
};
