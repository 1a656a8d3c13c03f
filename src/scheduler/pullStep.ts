import type { Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { firstLine } from '../process/firstLine.js';
import { followPullRequests } from '../review/pulls/follow.js';
import { type GhCall, ghFor, openPulls, pollPullRequests, recordPullPoll } from '../review/pulls/poll.js';
import type { TickLog } from './log.js';

export interface PullStepOptions {
  clock: Clock;
  log: TickLog;
  /** Stand-in for gh (tests, the benchmark); default gh in the project with a timeout per call. */
  gh?: GhCall;
}

/**
 * The github back end's step of the tick, after reconcile: one `gh pr list`
 * for every tickfleet PR, recorded for `status` (pr-poll.json), then each new
 * event acted on. Returns the tick's open-PR count for max_open_prs, read
 * from that one poll. A failing gh costs one log line and blocks this tick's
 * claims (the count is unreadable), never the tick.
 */
export async function followPullsStep(
  layout: Layout,
  config: Config,
  options: PullStepOptions,
): Promise<() => Promise<number>> {
  const gh = options.gh ?? ghFor(layout.root);
  let prs: Awaited<ReturnType<typeof pollPullRequests>>;
  try {
    prs = await pollPullRequests(gh);
  } catch (err) {
    const message = firstLine((err as Error).message) || 'unknown error';
    options.log.info(`PR poll failed, PRs not followed this tick: ${message}`);
    await recordPullPoll(layout, options.clock, { error: message });
    const unreadable = new Error(`PR poll failed: ${message}`);
    return () => Promise.reject(unreadable);
  }
  await recordPullPoll(layout, options.clock, { prs });
  try {
    const actions = await followPullRequests(layout, prs, {
      gh,
      clock: options.clock,
      maxAttempts: config.tasks.max_attempts,
      maxIncoming: config.queue_limits.max_incoming,
    });
    for (const a of actions) options.log.info(`PR #${a.pr}${a.task ? ` (${a.task})` : ''}: ${a.did}`);
  } catch (err) {
    // What was acted on is remembered as it goes; the rest is tried again next tick. The fleet goes on meanwhile.
    options.log.info(`following PRs stopped: ${firstLine((err as Error).message) || 'unknown error'}`);
  }
  const open = openPulls(prs).length;
  return () => Promise.resolve(open);
}
