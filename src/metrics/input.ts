/**
 * What the scheduler knows at the end of a tick, as plain counts: each field
 * maps onto one metric, and the shapes match what the queue, ledger and agent
 * state readers already return (for example `QueueStatus.byStateAndRole`).
 */
export interface MetricsInput {
  /** Tasks per queue folder, then per role: `{ incoming: { implementer: 3 }, claimed: {...} }`. */
  queue: Record<string, Record<string, number>>;
  /** Proposals per folder: `{ active: 4, promoted: 10, deferred: 1, rejected: 2 }`. */
  proposals: Record<string, number>;
  /** Runs that started today (local day), per outcome: `{ success: 12, timeout: 1 }`. */
  runsToday: Record<string, number>;
  /** Today's fleet spend in US dollars (`sumSpend(records).fleet`). */
  costUsdToday: number;
  /** Agents by state; every state is written, zeros included, so a series never goes missing. */
  agents: { running: number; paused: number; idle: number };
  /** A usage or rate limit has paused new spawns (or agents.yaml says `paused: true`). */
  fleetPaused: boolean;
  /** The local merge queue: approved branches waiting, whether it is held, today's batches by outcome. */
  mergeQueue?: { depth: number; held: boolean; batchesToday: Record<string, number> };
  /** How long this tick took, in seconds. */
  tickDurationSeconds: number;
  /** When this tick ran. */
  tickAt: Date;
  /**
   * Labels added to every sample, e.g. `{ project: '/srv/app' }`: one machine
   * running several fleets writes one textfile per project, and node_exporter
   * refuses the same series from two files.
   */
  constLabels?: Record<string, string>;
}
