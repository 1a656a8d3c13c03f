import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { openPulls, readPullPoll } from '../review/pulls/poll.js';
import { ReviewStore } from '../review/reviewStore.js';
import { taskIdOfBranch } from '../tasks/branch.js';
import { type ConfiguredCheck, configuredChecks } from './checks.js';
import { type FixMade, type FixOf, readFixMade, readFixOf } from './lineage.js';
import { branchSlug, type InFlight, readInFlight, readVerdicts } from './store.js';
import type { CheckVerdict } from './verdict.js';

export interface CheckState extends ConfiguredCheck {
  verdict?: CheckVerdict;
  inFlight?: InFlight;
}

/**
 * A delivered branch under the gatekeepers and its checks at its current
 * head: a pending local review, or (github back end) an open tickfleet PR.
 */
export interface WaitingBranch {
  /** The verdict store's subject: the review id (`REV-<task>`), or the PR branch's slug. */
  subject: string;
  /** The PR's number (github back end): verdicts are published on it and an approval is a PR review. */
  pr?: number;
  task: string;
  branch: string;
  base: string;
  head: string;
  /** Why its last merge failed, when it came back to pending. */
  mergeError?: string;
  checks: CheckState[];
  /** The fix round it is the delivery of (0: the first delivery), and the subject it continues. */
  fixOf?: FixOf;
  /** The fix task made for it, if any (for its current head or an earlier one). */
  fixMade?: FixMade;
}

/**
 * The branches the gatekeepers look at, with the verdicts and in-flight
 * checks recorded for each one's current head: every pending local review,
 * or with the github back end every open tickfleet PR of the last poll. A
 * head with a verdict for every configured check waits for nothing; what to
 * do with the verdicts is combine.ts's. Reads a few small files per branch,
 * and no gh call: the PRs come from the tick's one poll (pr-poll.json).
 */
export async function waitingBranches(layout: Layout, config: Config): Promise<WaitingBranch[]> {
  if (!config.gatekeeper.enabled) return [];
  const configured = configuredChecks(config.gatekeeper);
  if (configured.length === 0) return [];
  const found = config.review.backend === 'github' ? await openPullBranches(layout) : await pendingReviews(layout);
  // Each branch's files are read concurrently: a hundred branches cost a few file reads' latency, not a hundred times it.
  return Promise.all(found.map((f) => withChecks(layout, configured, f)));
}

type Found = Omit<WaitingBranch, 'checks' | 'fixOf' | 'fixMade'>;

async function withChecks(layout: Layout, configured: ConfiguredCheck[], found: Found): Promise<WaitingBranch> {
  const { subject, head } = found;
  const [verdicts, fixMade, taskFixOf] = await Promise.all([
    readVerdicts(layout, subject, head),
    readFixMade(layout, subject),
    found.pr === undefined ? readFixOf(layout, found.task) : undefined,
  ]);
  const checks: CheckState[] = [];
  for (const c of configured) {
    const verdict = verdicts[c.check];
    const inFlight = verdict ? undefined : await readInFlight(layout, subject, head, c.check);
    checks.push({ ...c, ...(verdict ? { verdict } : {}), ...(inFlight ? { inFlight } : {}) });
  }
  // A PR keeps its branch and subject through its fix rounds (the fixes push onto it): its rounds are the fixes made for it.
  const fixOf = found.pr === undefined ? taskFixOf : fixMade && { of: subject, round: fixMade.round, origin_tasks: [] };
  return { ...found, checks, ...(fixOf ? { fixOf } : {}), ...(fixMade ? { fixMade } : {}) };
}

async function pendingReviews(layout: Layout): Promise<Found[]> {
  return (await new ReviewStore(layout).list('pending')).map(({ meta }) => ({
    subject: meta.id,
    task: meta.task,
    branch: meta.branch,
    base: meta.base,
    head: meta.head,
    ...(meta.merge_error ? { mergeError: meta.merge_error } : {}),
  }));
}

/** The open tickfleet PRs the last poll saw (the github back end's branches waiting for checks). */
async function openPullBranches(layout: Layout): Promise<Found[]> {
  const out: Found[] = [];
  for (const pr of openPulls((await readPullPoll(layout))?.prs ?? [])) {
    const task = taskIdOfBranch(pr.headRefName);
    if (!task) continue;
    out.push({
      subject: branchSlug(pr.headRefName),
      pr: pr.number,
      task,
      branch: pr.headRefName,
      base: pr.baseRefName,
      head: pr.headRefOid,
    });
  }
  return out;
}
