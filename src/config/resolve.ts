import path from 'node:path';
import type { AgentConfig, ClaudeSettings, Config, ProposalLimit, Role } from './agentsConfig.js';
import { DEFAULT_TASK_ROLES } from './vocabulary.js';

/** Checked agents.yaml with every default of the key table filled in (validate/keyChecker.ts). */
type Checked = Omit<Config, 'file' | 'agents' | 'proposal_limits'> & {
  proposal_limits: Record<string, Partial<ProposalLimit>>;
  agents: CheckedAgent[];
};

type CheckedAgent = Omit<AgentConfig, 'claude' | 'line'> & { claude: Partial<ClaudeSettings> };

/**
 * The resolved Config from a value that passed every check: defaults that
 * depend on other keys (proposal limits, task roles, per-agent client
 * settings) are filled in here, and keys come out in the order of Config.
 */
export function resolveConfig(
  value: Record<string, unknown>,
  file: string,
  lines: ReadonlyMap<string, number>,
): Config {
  const c = value as unknown as Checked;
  const defaults = c.proposal_defaults;
  return {
    file: path.resolve(file),
    model: c.model,
    paused: c.paused,
    queue_limits: c.queue_limits,
    proposal_limits: Object.fromEntries(
      Object.entries(c.proposal_limits).map(([name, limit]) => [name, proposalLimit(limit, defaults)]),
    ),
    proposal_defaults: defaults,
    voice_weights: c.voice_weights,
    curator: c.curator,
    gatekeeper: c.gatekeeper,
    commands: c.commands,
    claude: c.claude,
    budgets: c.budgets,
    tasks: c.tasks,
    scheduler: c.scheduler,
    quota: c.quota,
    review: c.review,
    merge_queue: c.merge_queue,
    ports: c.ports,
    metrics: c.metrics,
    agents: c.agents.map((agent, i) => resolveAgent(agent, c.claude, lines.get(`agents[${i}]`) ?? 1)),
  };
}

function proposalLimit(limit: Partial<ProposalLimit>, defaults: ProposalLimit): ProposalLimit {
  const max_active = limit.max_active ?? defaults.max_active;
  // An inherited max_per_run never exceeds this proposer's own max_active (a written one is checked instead).
  const max_per_run = limit.max_per_run ?? Math.min(defaults.max_per_run, max_active);
  return { max_active, max_per_run };
}

function resolveAgent(agent: CheckedAgent, fleet: ClaudeSettings, line: number): AgentConfig {
  const taskRole = agent.task_role ?? DEFAULT_TASK_ROLES[agent.role as Role];
  return {
    name: agent.name,
    role: agent.role,
    interval_seconds: agent.interval_seconds,
    paused: agent.paused,
    ...(agent.focus === undefined ? {} : { focus: agent.focus }),
    ...(taskRole === undefined ? {} : { task_role: taskRole }),
    ...(agent.lanes === undefined ? {} : { lanes: agent.lanes }),
    ...(agent.daily_budget_usd === undefined ? {} : { daily_budget_usd: agent.daily_budget_usd }),
    claude: mergeClaude(fleet, agent.claude),
    line,
  };
}

/** A per-agent key replaces the fleet-wide one, except env, which is merged key by key. */
export function mergeClaude(fleet: ClaudeSettings, own: Partial<ClaudeSettings>): ClaudeSettings {
  return { ...structuredClone(fleet), ...structuredClone(own), env: { ...fleet.env, ...own.env } };
}
