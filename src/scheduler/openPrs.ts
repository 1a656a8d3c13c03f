import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { openPulls, readPullPoll } from '../review/pulls/poll.js';
import { selectReviewBackend } from '../review/select.js';

/**
 * The tick's open-PR (or pending local review) count, asked at most once per
 * tick: with the github back end it is a network call, and the answer cannot
 * change meaningfully within one tick. A failure is remembered too, so every
 * claim of the tick is blocked for the same reason.
 */
export function openPrCounter(
  layout: Layout,
  config: Config,
  options: { fromLastPoll?: boolean } = {},
): () => Promise<number> {
  let count: Promise<number> | undefined;
  const ask = () => selectReviewBackend(layout.root, config.review).then(({ backend }) => backend.openCount());
  return () => (count ??= options.fromLastPoll && config.review.backend === 'github' ? lastPolled(layout, ask) : ask());
}

/**
 * The open count the last tick's poll saw: `status` and its redraws read it
 * instead of asking GitHub each time. Before the first poll, gh is asked.
 */
async function lastPolled(layout: Layout, ask: () => Promise<number>): Promise<number> {
  const poll = await readPullPoll(layout);
  if (!poll) return ask();
  if (poll.error) throw new Error(`the last PR poll failed (${poll.error.at}): ${poll.error.message}`);
  return openPulls(poll.prs).length;
}
