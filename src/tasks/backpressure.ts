import type { Layout } from '../core/paths.js';
import { listIds } from '../core/queueFolder.js';
import { firstLine } from '../process/firstLine.js';
import { taskQueue } from './folders.js';

export interface ClaimLimits {
  maxClaimed?: number;
  /** Counts open PRs (or pending local reviews). A count that cannot be read blocks the claim. */
  openPrs?: () => Promise<number>;
  maxOpenPrs?: number;
}

/**
 * Claim backpressure: claimed < max_claimed and open PRs <
 * max_open_prs. Called under the queue lock. Returns why a claim must wait,
 * or undefined.
 */
export async function checkBackpressure(layout: Layout, limits: ClaimLimits = {}): Promise<string | undefined> {
  if (limits.maxClaimed !== undefined) {
    const claimed = listIds(taskQueue(layout), 'claimed').length;
    if (claimed >= limits.maxClaimed) return `max_claimed ${claimed}/${limits.maxClaimed}`;
  }
  if (limits.maxOpenPrs !== undefined) {
    if (!limits.openPrs) return 'open PRs unreadable: no way to count them was configured';
    let count: number;
    try {
      count = await limits.openPrs();
    } catch (err) {
      return `open PRs unreadable: ${firstLine(err instanceof Error ? err.message : String(err), { verbatim: true })}`;
    }
    if (!Number.isInteger(count) || count < 0)
      return `open PRs unreadable: got ${JSON.stringify(count)} instead of a count`;
    if (count >= limits.maxOpenPrs) return `max_open_prs ${count}/${limits.maxOpenPrs}`;
  }
  return undefined;
}
