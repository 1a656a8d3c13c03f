import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { listFileNames } from '../core/queueFolder.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { claimability, inLanes, noClaimableReason } from './order.js';
import { readIndexSync } from './queueIndex/open.js';
import { indexBlockers, summariesOf } from './queueIndex/view.js';

export interface ClaimableSummary {
  incoming: number;
  claimed: number;
  /** Tasks claimable now, per claim pool (`claimPool`: a task role, with the agent's lanes if it has some), capped by `wanted`. */
  claimable: Record<string, number>;
  /** Per wanted pool with none claimable: why (none in incoming, only in other lanes, blocked, backing off). */
  waiting: Record<string, string>;
}

export interface ClaimableOptions {
  clock?: Clock;
  /**
   * The claim pools a planner could start agents for (`claimPool`), and how
   * many such agents each has. Counting stops once every wanted pool has that
   * many claimable tasks; with no wanted pool only the counts are read.
   */
  wanted: Record<string, number>;
}

/**
 * What an agent claims from: its task role, and its lanes when it has some
 * (`implement@api,web`). Roles and lane names hold neither `@` nor `,`.
 */
export function claimPool(role: string, lanes?: readonly string[]): string {
  return lanes === undefined ? role : `${role}@${[...lanes].sort().join(',')}`;
}

function poolParts(pool: string): { role: string; lanes?: string[] } {
  const at = pool.indexOf('@');
  return at < 0 ? { role: pool } : { role: pool.slice(0, at), lanes: pool.slice(at + 1).split(',') };
}

/**
 * What a planner needs to decide which agents have work, from the queue
 * index (queueIndex/), without the lock and without moving anything:
 * unreadable files are left for the claim or the listing to quarantine.
 * A caller that can wait brings the index up to date first (`readIndex`,
 * which writes it back), so this reads it as it is.
 */
export function claimableSummary(layout: Layout, options: ClaimableOptions): ClaimableSummary {
  const now = (options.clock ?? systemClock).now();
  const wanted = Object.entries(options.wanted).filter(([, n]) => n > 0);
  if (wanted.length === 0) {
    // Most ticks have nothing due: two folder listings give the counts, and the index is not loaded.
    const q = taskQueue(layout);
    return {
      incoming: listFileNames(q.dir('incoming')).length,
      claimed: listFileNames(q.dir('claimed')).length,
      claimable: {},
      waiting: {},
    };
  }
  const index = readIndexSync(layout, ['incoming', 'claimed', 'done'], parseTask);
  const out: ClaimableSummary = {
    incoming: index.folders.incoming.files.size,
    claimed: index.folders.claimed.files.size,
    claimable: {},
    waiting: {},
  };
  const done = indexBlockers(index);
  const incoming = summariesOf(index, 'incoming');
  for (const [pool, agents] of wanted) {
    const { role, lanes } = poolParts(pool);
    let count = 0;
    for (const s of incoming) {
      if (s.role !== role || !inLanes(s, lanes) || !claimability(s, done, now).claimable) continue;
      if (++count >= agents) break;
    }
    out.claimable[pool] = count;
    if (count === 0) out.waiting[pool] = noClaimableReason(role, incoming, done, now, lanes);
  }
  return out;
}
