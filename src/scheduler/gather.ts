import { readAgentState, type AgentState } from '../agents/state.js';
import type { Config } from '../config/types.js';
import { localDay, type Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { activePause, readFleetState } from '../fleet/pause.js';
import { readLedgerDay, sumSpend } from '../ledger/ledger.js';
import { listProposals } from '../proposals/index.js';
import { claimRoleOf } from '../roles/registry.js';
import { claimableSummary } from '../tasks/index.js';
import type { TickSnapshot } from './snapshot.js';

export interface GatherOptions {
  clock: Clock;
  /** Open PRs or pending local reviews; throws when the count cannot be read. */
  openPrs: () => Promise<number>;
}

/**
 * Read everything the planner looks at. The open-PR count costs a network
 * call with the github back end, so it is asked only when some agent could
 * claim a task this tick; an error is kept as an error, never read as zero.
 */
export async function gatherSnapshot(layout: Layout, config: Config, options: GatherOptions): Promise<TickSnapshot> {
  const now = options.clock.now();
  const agents: Record<string, AgentState> = {};
  for (const agent of config.agents) agents[agent.name] = await readAgentState(layout, agent.name);

  const queue = claimableSummary(layout, { clock: options.clock });
  const couldClaim = config.agents.some((a) => {
    const role = claimRoleOf(a);
    return role !== undefined && !a.paused && !agents[a.name]?.running && (queue.claimable[role] ?? 0) > 0;
  });
  let openPrs: TickSnapshot['openPrs'] = { count: 0 };
  if (couldClaim && !config.paused) {
    try {
      openPrs = { count: await options.openPrs() };
    } catch (err) {
      openPrs = { error: (err as Error).message.split('\n')[0] ?? 'unknown error' };
    }
  }

  const activeByProposer: Record<string, number> = {};
  let active = 0;
  if (config.model === 'proposal') {
    const { proposals } = await listProposals(layout, { states: ['active'] });
    active = proposals.length;
    for (const p of proposals) activeByProposer[p.proposer] = (activeByProposer[p.proposer] ?? 0) + 1;
  }

  const fleetPause = activePause(await readFleetState(layout), now);
  return {
    now,
    ...(fleetPause ? { fleetPause } : {}),
    agents,
    queue,
    openPrs,
    proposals: { active, activeByProposer },
    spend: sumSpend(await readLedgerDay(layout, localDay(now))),
  };
}
