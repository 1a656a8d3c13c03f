import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomicFile.js';
import { type Clock, isoSeconds } from '../../core/clock.js';
import type { Layout } from '../../core/paths.js';
import { isTickfleetBranch } from '../../tasks/branch.js';
import { GhError, type GhOptions, runGh } from '../gh.js';
import type { PullPoll, PullState } from './pullState.js';

export const POLL_FIELDS =
  'number,url,headRefName,headRefOid,baseRefName,state,mergedAt,closedAt,reviewDecision,latestReviews,statusCheckRollup';
/** Newest first: enough to see every open tickfleet PR and the recent ends of the others. */
export const POLL_LIMIT = 300;
/** The poll runs inside the tick: a slow GitHub costs one tick this much at most. */
export const POLL_TIMEOUT_MS = 20_000;

export type GhCall = (args: string[], input?: string) => Promise<string>;

/** A gh runner for the project's work tree, each call cut off after `timeoutMs`. */
export function ghFor(root: string, options: { env?: GhOptions['env']; timeoutMs?: number } = {}): GhCall {
  return (args, input) =>
    runGh(args, {
      cwd: root,
      timeoutMs: options.timeoutMs ?? POLL_TIMEOUT_MS,
      ...(options.env ? { env: options.env } : {}),
      ...(input === undefined ? {} : { input }),
    });
}

/**
 * Every PR of tickfleet's branches, open or ended, in one `gh pr list`: the
 * whole cost of following PRs on a tick where nothing happened.
 */
export async function pollPullRequests(gh: GhCall, limit = POLL_LIMIT): Promise<PullState[]> {
  const out = await gh(['pr', 'list', '--state', 'all', '--json', POLL_FIELDS, '--limit', String(limit)]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch {
    throw new GhError('pr list', 0, `printed something that is not JSON: ${JSON.stringify(out.trim().slice(0, 100))}`);
  }
  if (!Array.isArray(parsed))
    throw new GhError('pr list', 0, `printed JSON that is not a list: ${JSON.stringify(out.trim().slice(0, 100))}`);
  return (parsed as PullState[]).filter(
    (pr) => typeof pr?.number === 'number' && typeof pr.headRefName === 'string' && isTickfleetBranch(pr.headRefName),
  );
}

export function pollFile(layout: Layout): string {
  return path.join(layout.dir, 'pr-poll.json');
}

/** What the last tick saw, or undefined before the first poll. */
export function readPullPoll(layout: Layout): Promise<PullPoll | undefined> {
  return readJsonIfExists<PullPoll>(pollFile(layout));
}

/** Record a poll; a failed one keeps the PRs seen before, marked with the error. */
export async function recordPullPoll(
  layout: Layout,
  clock: Clock,
  result: { prs: PullState[] } | { error: string },
): Promise<PullPoll> {
  const at = isoSeconds(clock.now());
  let poll: PullPoll;
  if ('prs' in result) poll = { at, prs: result.prs };
  else {
    const before = await readPullPoll(layout);
    poll = { at: before?.at ?? at, prs: before?.prs ?? [], error: { at, message: result.error } };
  }
  await writeJsonAtomic(pollFile(layout), poll);
  return poll;
}

export function openPulls(prs: readonly PullState[]): PullState[] {
  return prs.filter((pr) => pr.state === 'OPEN');
}
