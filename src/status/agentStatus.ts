import type { LastOutcome, RunningRun } from '../agents/state.js';
import type { Role } from '../config/agentsConfig.js';
import { loadConfig } from '../config/load.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { gatherSnapshot } from '../scheduler/gather.js';
import { openPrCounter } from '../scheduler/openPrs.js';
import { planTick, type SkipCode } from '../scheduler/plan.js';
import type { TickSnapshot } from '../scheduler/snapshot.js';

/** What a person wants to know of one agent: is it working, and if not, why not and until when. */
export type AgentPhase = 'running' | 'due' | 'waiting' | 'blocked' | 'paused';

export interface AgentStatus {
  name: string;
  role: Role;
  focus?: string;
  interval_seconds: number;
  phase: AgentPhase;
  /** Why it is in that phase, in the planner's words. */
  reason: string;
  /** The planner's reason code, when it is not started. */
  code?: SkipCode;
  /** When it could next start, when known. */
  until?: string;
  running?: RunningRun;
  last_started_at?: string;
  last_outcome?: LastOutcome;
  consecutive_failures: number;
  cost_today_usd: number;
}

const PHASE_OF: Record<SkipCode, AgentPhase> = {
  running: 'running',
  paused: 'paused',
  fleet_paused: 'paused',
  quota_paused: 'paused',
  client_unavailable: 'blocked',
  wrong_model: 'paused',
  not_due: 'waiting',
  spawn_cap: 'due',
  no_task: 'waiting',
  no_proposals: 'waiting',
  max_claimed: 'blocked',
  open_prs: 'blocked',
  max_incoming: 'blocked',
  max_active_proposals: 'blocked',
  budget: 'blocked',
  no_model: 'waiting',
};

/**
 * Each agent's state, from the same snapshot and planner the tick uses, so
 * `agent-status` and `status` say exactly what the next tick would do.
 */
export async function agentStatuses(
  layout: Layout,
  options: { clock?: Clock; clientCheck?: 'binary' | 'full' } = {},
): Promise<{ snapshot: TickSnapshot; agents: AgentStatus[] }> {
  const clock = options.clock ?? systemClock;
  const { config } = await loadConfig(layout);
  const snapshot = await gatherSnapshot(layout, config, {
    clock,
    openPrs: openPrCounter(layout, config, { fromLastPoll: true }),
    clientCheck: options.clientCheck ?? 'full',
  });
  const plan = planTick(config, snapshot);
  const agents = config.agents.map((agent): AgentStatus => {
    const state = snapshot.agents[agent.name] ?? { consecutive_failures: 0 };
    const d = plan.decisions.find((x) => x.agent === agent.name);
    const phase: AgentPhase = !d || d.action === 'start' ? 'due' : PHASE_OF[d.code];
    return {
      name: agent.name,
      role: agent.role,
      ...(agent.focus ? { focus: agent.focus } : {}),
      interval_seconds: agent.interval_seconds,
      phase,
      reason: d?.reason ?? 'due',
      ...(d?.action === 'skip' ? { code: d.code } : {}),
      ...(d?.action === 'skip' && d.until ? { until: d.until } : {}),
      ...(state.running ? { running: state.running } : {}),
      ...(state.last_started_at ? { last_started_at: state.last_started_at } : {}),
      ...(state.last_outcome ? { last_outcome: state.last_outcome } : {}),
      consecutive_failures: state.consecutive_failures,
      cost_today_usd: Math.round((snapshot.spend.byAgent[agent.name] ?? 0) * 10_000) / 10_000,
    };
  });
  return { snapshot, agents };
}
