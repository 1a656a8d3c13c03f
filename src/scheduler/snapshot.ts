import type { AgentState } from '../agents/state.js';
import type { ClientProblem } from '../claude/startable.js';
import type { FleetPause } from '../fleet/pause.js';
import type { DaySpend } from '../ledger/ledger.js';

/**
 * Everything `planTick` looks at, gathered once per tick after reconcile.
 * Counts that could not be read are carried as errors, never as zero.
 */
export interface TickSnapshot {
  now: Date;
  /** Fleet pause after a usage or rate limit, if one is in force. */
  fleetPause?: FleetPause;
  agents: Record<string, AgentState>;
  queue: QueueSnapshot;
  /** Open PRs (or local reviews pending); an error blocks every claim. */
  openPrs: { count: number } | { error: string };
  proposals: { active: number; activeByProposer: Record<string, number> };
  /** Today's spend from the ledger. */
  spend: DaySpend;
  /** Agents whose client would not start, and why (see claude/startable.ts). */
  clientProblems?: Record<string, ClientProblem>;
}

export interface QueueSnapshot {
  incoming: number;
  claimed: number;
  /** Tasks claimable now, per task role. */
  claimable: Record<string, number>;
  /** Why nothing is claimable for a role that has open tasks (blocked, backing off). */
  waiting: Record<string, string>;
}
