import type { AgentConfig, Config } from '../config/agentsConfig.js';
import { isoSeconds } from '../core/clock.js';
import { claimRoleOf, countsOpenPrs, ROLE_SPECS } from '../roles/registry.js';
import { claimPool } from '../tasks/claimable.js';
import { claimerText } from '../tasks/order.js';
import { budgetForRun } from './budget.js';
import { nextDueAt } from './due.js';
import type { TickSnapshot } from './snapshot.js';

export type SkipCode =
  | 'fleet_paused'
  | 'quota_paused'
  | 'client_unavailable'
  | 'paused'
  | 'wrong_model'
  | 'running'
  | 'not_due'
  | 'max_claimed'
  | 'open_prs'
  | 'no_task'
  | 'max_incoming'
  | 'max_active_proposals'
  | 'no_proposals'
  | 'budget'
  | 'spawn_cap'
  | 'no_model';

export type AgentDecision =
  | {
      agent: string;
      action: 'start';
      /** Task role to claim, when the role works on tasks. */
      claimRole?: string;
      /** --max-budget-usd for this run: the per-run cap, or less when a daily budget is nearly spent. */
      runBudgetUsd: number;
      reason: string;
    }
  | {
      agent: string;
      action: 'skip';
      code: SkipCode;
      reason: string;
      /** When the agent could next start, if known. */
      until?: string;
    };

export interface TickPlan {
  now: string;
  decisions: AgentDecision[];
}

/**
 * Decide which agents start on this tick and, for every other agent, why not.
 * Pure: the same config and snapshot always give the same plan, which is what
 * `scheduler --dry-run` prints.
 */
export function planTick(config: Config, snap: TickSnapshot): TickPlan {
  const now = snap.now;
  const decisions: AgentDecision[] = [];
  const candidates: { agent: AgentConfig; due: Date }[] = [];

  for (const agent of config.agents) {
    const skip = (code: SkipCode, reason: string, until?: Date) =>
      decisions.push({
        agent: agent.name,
        action: 'skip',
        code,
        reason,
        ...(until ? { until: isoSeconds(until) } : {}),
      });
    const state = snap.agents[agent.name] ?? { consecutive_failures: 0 };
    const spec = ROLE_SPECS[agent.role];

    if (agent.role === 'gatekeeper_coordinator') {
      // Its work is tickfleet's code, done by the tick itself (see gatekeeper/): no client is ever started for it.
      skip(
        'no_model',
        config.gatekeeper.enabled
          ? `runs no model: the tick finds branches waiting for checks every ${agent.interval_seconds}s and fans the checks out`
          : 'runs no model, and gatekeeper.enabled is false',
      );
      continue;
    }
    if (state.running) {
      const task = state.running.task_id ? ` on ${state.running.task_id}` : '';
      const pid = state.running.pid ? ` (pid ${state.running.pid})` : '';
      skip('running', `running since ${state.running.started_at}${task}${pid}`);
      continue;
    }
    if (config.paused) {
      skip('fleet_paused', 'fleet paused (paused: true in agents.yaml)');
      continue;
    }
    if (agent.paused) {
      skip('paused', `paused (paused: true in its agents.yaml entry at line ${agent.line})`);
      continue;
    }
    if (spec.model && spec.model !== config.model) {
      skip('wrong_model', `${agent.role} runs only with model: ${spec.model} (agents.yaml has model: ${config.model})`);
      continue;
    }
    if (snap.fleetPause) {
      skip(
        'quota_paused',
        `fleet paused until ${snap.fleetPause.until}: ${snap.fleetPause.reason}`,
        new Date(snap.fleetPause.until),
      );
      continue;
    }
    // A start that would fail at once: no task is claimed, no attempt spent.
    const client = snap.clientProblems?.[agent.name];
    if (client) {
      skip('client_unavailable', `a start would fail: ${client.reason}`);
      continue;
    }
    const due = nextDueAt(agent, state, now);
    if (due.getTime() > now.getTime()) {
      const last = state.last_started_at ? `, last start ${state.last_started_at}` : '';
      skip('not_due', `not due until ${isoSeconds(due)} (interval ${agent.interval_seconds}s${last})`, due);
      continue;
    }
    candidates.push({ agent, due });
  }

  // Most overdue first, so a spawn cap or a scarce task never starves the same agent.
  candidates.sort((a, b) => a.due.getTime() - b.due.getTime());

  const claimable = { ...snap.queue.claimable };
  let claimed = snap.queue.claimed;
  let incoming = snap.queue.incoming;
  let starts = 0;
  let inFlight = Object.values(snap.agents).filter((s) => s.running).length;
  const inFlightByAgent: Record<string, number> = {};

  for (const { agent } of candidates) {
    const skip = (code: SkipCode, reason: string, until?: Date) =>
      decisions.push({
        agent: agent.name,
        action: 'skip',
        code,
        reason,
        ...(until ? { until: isoSeconds(until) } : {}),
      });
    const gate = roleGate(config, snap, agent, { claimable, claimed, incoming });
    if (gate) {
      skip(gate.code, gate.reason);
      continue;
    }
    const budget = budgetForRun(
      config,
      agent,
      snap.spend,
      { fleet: inFlight, agent: inFlightByAgent[agent.name] ?? 0 },
      now,
    );
    if (!budget.ok) {
      skip('budget', budget.reason, budget.until);
      continue;
    }
    if (starts >= config.scheduler.max_spawns_per_tick) {
      skip('spawn_cap', `waiting for a spawn slot (max_spawns_per_tick: ${config.scheduler.max_spawns_per_tick})`);
      continue;
    }
    const claimRole = claimRoleOf(agent);
    if (claimRole) {
      const pool = claimPool(claimRole, agent.lanes);
      claimable[pool] = (claimable[pool] ?? 0) - 1;
      claimed++;
      incoming--;
    }
    starts++;
    inFlight++;
    inFlightByAgent[agent.name] = (inFlightByAgent[agent.name] ?? 0) + 1;
    decisions.push({
      agent: agent.name,
      action: 'start',
      ...(claimRole ? { claimRole } : {}),
      runBudgetUsd: budget.runBudgetUsd,
      reason: claimRole ? `due; claims the next ${claimRole} task` : 'due',
    });
  }

  // Report in agents.yaml order, whatever order the decisions were made in.
  const order = new Map(config.agents.map((a, i) => [a.name, i]));
  decisions.sort((a, b) => (order.get(a.agent) ?? 0) - (order.get(b.agent) ?? 0));
  return { now: isoSeconds(now), decisions };
}

interface Counters {
  claimable: Record<string, number>;
  claimed: number;
  incoming: number;
}

/** Role-specific reasons an agent that is due has nothing worth doing now. */
function roleGate(
  config: Config,
  snap: TickSnapshot,
  agent: AgentConfig,
  c: Counters,
): { code: SkipCode; reason: string } | undefined {
  const limits = config.queue_limits;
  const claimRole = claimRoleOf(agent);
  if (claimRole) {
    if (c.claimed >= limits.max_claimed)
      return { code: 'max_claimed', reason: `max_claimed ${c.claimed}/${limits.max_claimed}` };
    if (countsOpenPrs(agent) && 'error' in snap.openPrs)
      return { code: 'open_prs', reason: `open PR count unreadable, claims blocked: ${snap.openPrs.error}` };
    if (countsOpenPrs(agent) && 'count' in snap.openPrs && snap.openPrs.count >= limits.max_open_prs)
      return { code: 'open_prs', reason: `max_open_prs ${snap.openPrs.count}/${limits.max_open_prs}` };
    const pool = claimPool(claimRole, agent.lanes);
    if ((c.claimable[pool] ?? 0) <= 0) {
      return {
        code: 'no_task',
        reason: snap.queue.waiting[pool] ?? `no task for its ${claimerText(claimRole, agent.lanes)}`,
      };
    }
    return undefined;
  }
  switch (agent.role) {
    case 'product_manager': {
      const open = c.incoming + c.claimed;
      if (open >= limits.max_incoming)
        return {
          code: 'max_incoming',
          reason: `queue full: incoming + claimed ${open}/${limits.max_incoming} (max_incoming)`,
        };
      return undefined;
    }
    case 'proposer': {
      const limit = config.proposal_limits[agent.name] ?? config.proposal_defaults;
      const active = snap.proposals.activeByProposer[agent.name] ?? 0;
      if (active >= limit.max_active)
        return {
          code: 'max_active_proposals',
          reason: `max_active ${active}/${limit.max_active} proposals waiting for the curator`,
        };
      return undefined;
    }
    case 'curator':
      if (snap.proposals.active === 0) return { code: 'no_proposals', reason: 'no active proposals to curate' };
      return undefined;
    default:
      return undefined;
  }
}
