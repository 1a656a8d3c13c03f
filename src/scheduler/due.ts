import type { AgentState } from '../agents/state.js';
import type { AgentConfig } from '../config/agentsConfig.js';

/**
 * When an agent is next due: one interval after its last start.
 *
 * A clock that jumps back must never cause a double start, and one that jumps
 * forward (a laptop waking after hours) must cause one catch-up run, not a
 * burst. The second holds because a tick starts an agent at most once and
 * records the start. For the first, a last start in the future is clamped to
 * now: the agent waits one interval from now rather than for ever or not at all.
 */
export function nextDueAt(agent: AgentConfig, state: AgentState, now: Date): Date {
  if (!state.last_started_at) return new Date(0);
  const last = Math.min(new Date(state.last_started_at).getTime(), now.getTime());
  return new Date(last + agent.interval_seconds * 1000);
}

export function isDue(agent: AgentConfig, state: AgentState, now: Date): boolean {
  return nextDueAt(agent, state, now).getTime() <= now.getTime();
}
