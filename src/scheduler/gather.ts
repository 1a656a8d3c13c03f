import { type AgentState, readAgentState } from '../agents/state.js';
import { clientStartProblems } from '../claude/startable.js';
import type { Config } from '../config/agentsConfig.js';
import { type Clock, localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { activePause, readFleetState } from '../fleet/pause.js';
import { readLedgerDay, sumSpend } from '../ledger/ledger.js';
import { listProposals } from '../proposals/list.js';
import { claimRoleOf } from '../roles/registry.js';
import { claimableSummary, claimPool } from '../tasks/claimable.js';
import { readIndex } from '../tasks/queueIndex/open.js';
import { isDue } from './due.js';
import type { TickSnapshot } from './snapshot.js';

export interface GatherOptions {
  clock: Clock;
  /** Open PRs or pending local reviews; throws when the count cannot be read. */
  openPrs: () => Promise<number>;
  /**
   * How closely to look at each agent's client: `binary` (the tick: a few
   * stat calls) or `full` (dry run, status: credentials and an endpoint
   * probe too). Default `binary`.
   */
  clientCheck?: 'binary' | 'full';
  /**
   * Bring the queue index up to date and write it back (under the queue lock
   * when it is free) before reading it: the tick does, a dry run or `status`
   * (which change nothing) read it as it is and list what it does not vouch for.
   */
  refreshIndex?: boolean;
}

/**
 * Read everything the planner looks at, and no more: the queue is read only
 * for the roles (and lanes) of agents that could start now, and the open-PR count (a
 * network call with the github back end) only when one of them has a task.
 * An unreadable count is kept as an error, never read as zero.
 */
export async function gatherSnapshot(layout: Layout, config: Config, options: GatherOptions): Promise<TickSnapshot> {
  const now = options.clock.now();
  const agents: Record<string, AgentState> = {};
  // Read side by side: one state file per agent, and a tick waits on each in turn otherwise.
  const states = await Promise.all(config.agents.map((agent) => readAgentState(layout, agent.name)));
  config.agents.forEach((agent, i) => {
    agents[agent.name] = states[i]!;
  });

  const fleetPause = activePause(await readFleetState(layout), now);
  // Only agents that could start this tick need the queue read for them.
  const wanted: Record<string, number> = {};
  if (!config.paused && !fleetPause) {
    for (const a of config.agents) {
      const role = claimRoleOf(a);
      const state = agents[a.name] ?? { consecutive_failures: 0 };
      if (role && !a.paused && !state.running && isDue(a, state, now)) {
        const pool = claimPool(role, a.lanes);
        wanted[pool] = (wanted[pool] ?? 0) + 1;
      }
    }
  }
  if (options.refreshIndex && Object.keys(wanted).length > 0) await readIndex(layout, ['incoming', 'claimed', 'done']);
  const queue = claimableSummary(layout, { clock: options.clock, wanted });
  let openPrs: TickSnapshot['openPrs'] = { count: 0 };
  if (Object.values(queue.claimable).some((n) => n > 0)) {
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

  const clientProblems = await clientStartProblems(config.agents, {
    root: layout.root,
    depth: options.clientCheck ?? 'binary',
  });

  return {
    now,
    ...(fleetPause ? { fleetPause } : {}),
    ...(Object.keys(clientProblems).length > 0 ? { clientProblems } : {}),
    agents,
    queue,
    openPrs,
    proposals: { active, activeByProposer },
    spend: sumSpend(await readLedgerDay(layout, localDay(now))),
  };
}
