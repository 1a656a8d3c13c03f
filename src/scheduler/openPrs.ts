import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { selectReviewBackend } from '../review/select.js';

/**
 * The tick's open-PR (or pending local review) count, asked at most once per
 * tick: with the github back end it is a network call, and the answer cannot
 * change meaningfully within one tick. A failure is remembered too, so every
 * claim of the tick is blocked for the same reason.
 */
export function openPrCounter(layout: Layout, config: Config): () => Promise<number> {
  let count: Promise<number> | undefined;
  return () => (count ??= selectReviewBackend(layout.root, config.review).then(({ backend }) => backend.openCount()));
}
