import type { AgentConfig, Config } from './agentsConfig.js';

/**
 * A compact, human view of a resolved Config: label/value rows for the fleet
 * settings and one row per agent. Returned as cells so the CLI aligns them.
 */
export interface ConfigSummary {
  settings: [string, string][];
  agents: string[][];
}

export function summariseConfig(config: Config): ConfigSummary {
  const q = config.queue_limits;
  const b = config.budgets;
  const settings: [string, string][] = [
    ['model', config.model],
    ['paused', config.paused ? 'yes: no agent is started' : 'no'],
    ['queue limits', `max_incoming ${q.max_incoming}, max_claimed ${q.max_claimed}, max_open_prs ${q.max_open_prs}`],
    [
      'budgets',
      `${usd(b.per_run_usd)} per run, ${cap(b.per_agent_daily_usd, 'per agent')}, ${cap(b.fleet_daily_usd, 'for the fleet')}`,
    ],
  ];
  if (config.model === 'proposal' || Object.keys(config.proposal_limits).length > 0) {
    const own = Object.entries(config.proposal_limits).map(([name, l]) => `${name} ${l.max_active}/${l.max_per_run}`);
    const d = config.proposal_defaults;
    settings.push([
      'proposals',
      `max_active/max_per_run ${d.max_active}/${d.max_per_run}${own.length > 0 ? `; ${own.join(', ')}` : ''}`,
    ]);
  }
  if (config.gatekeeper.enabled) {
    const g = config.gatekeeper;
    const commands = Object.keys(g.commands);
    settings.push([
      'gatekeeper',
      `required ${list(g.required_checks)}; optional ${list(g.optional_checks)}${commands.length > 0 ? `; by command: ${commands.join(', ')}` : ''}${g.auto_approve ? '; auto-approve' : ''}`,
    ]);
  }
  for (const co of config.agents.filter((a) => a.role === 'gatekeeper_coordinator'))
    settings.push(['coordinator', coordinatorLine(co, config.gatekeeper.enabled)]);
  const r = config.review;
  settings.push([
    'review',
    [
      r.backend,
      `remote ${r.remote}`,
      r.base_branch && `base ${r.base_branch}`,
      r.test_command && `test: ${r.test_command}`,
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  const c = config.claude;
  settings.push([
    'claude',
    [
      c.command.join(' '),
      c.model && `model ${c.model}`,
      `max ${c.max_turns} turns`,
      `timeout ${c.timeout_minutes}m`,
      `stall ${c.stall_minutes}m`,
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  return { settings, agents: config.agents.map(agentRow) };
}

/** What a gatekeeper_coordinator agent (from seed configs) does here: no model runs, the tick does its work. */
export function coordinatorLine(agent: AgentConfig, enabled: boolean): string {
  if (!enabled) return `${agent.name} runs no model, and does nothing while gatekeeper.enabled is false`;
  return `${agent.name} runs no model: the tick finds branches waiting for checks every ${duration(agent.interval_seconds)}, fans the checks out and combines the verdicts`;
}

function agentRow(agent: AgentConfig): string[] {
  return [
    agent.name,
    agent.role,
    `every ${duration(agent.interval_seconds)}`,
    agent.focus ? `focus ${agent.focus}` : '',
    agent.paused ? 'paused' : '',
  ];
}

/** 600 → 10m, 86400 → 1d, 90 → 90s: whole units only, so nothing is rounded away. */
export function duration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

function cap(n: number | undefined, what: string): string {
  return n === undefined ? `no daily cap ${what}` : `${usd(n)} a day ${what}`;
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
