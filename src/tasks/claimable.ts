import { systemClock, type Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { listIds } from '../core/queueFolder.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { claimability, noClaimableReason } from './order.js';
import { pick } from './scan.js';
import { readSummaries } from './summaries.js';

export interface ClaimableSummary {
  incoming: number;
  claimed: number;
  /** Tasks claimable now, per task role. */
  claimable: Record<string, number>;
  /** Per role with incoming tasks but none claimable: why (blocked, backing off). */
  waiting: Record<string, string>;
}

/**
 * What a planner needs to decide which agents have work, without taking the
 * lock or moving anything (unreadable files are left for the claim or the
 * listing to quarantine).
 */
export function claimableSummary(layout: Layout, options: { clock?: Clock } = {}): ClaimableSummary {
  const q = taskQueue(layout);
  const now = (options.clock ?? systemClock).now();
  const { summaries } = readSummaries(q, 'incoming', (text, file) => pick(parseTask(text, file, 'incoming')));
  const done = new Set(listIds(q, 'done'));
  const out: ClaimableSummary = { incoming: summaries.length, claimed: listIds(q, 'claimed').length, claimable: {}, waiting: {} };
  const roles = new Set(summaries.map((s) => s.role));
  for (const role of roles) out.claimable[role] = 0;
  for (const s of summaries) {
    if (claimability(s, done, now).claimable) out.claimable[s.role]! += 1;
  }
  for (const role of roles) {
    if (out.claimable[role] === 0) out.waiting[role] = noClaimableReason(role, summaries, done, now);
  }
  return out;
}
