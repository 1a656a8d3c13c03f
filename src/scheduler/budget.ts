import type { AgentConfig, Config } from '../config/agentsConfig.js';
import type { DaySpend } from '../ledger/ledger.js';

/**
 * How much one more run may spend, given today's spend and the runs in flight.
 *
 * A run in flight has not reported its cost yet, so it is counted at the most
 * it may cost (the per-run cap). A new run gets the per-run cap, or what is left
 * of a daily budget when that is less; when what is left is under a quarter of
 * the per-run cap, the agent waits for tomorrow rather than start a run too
 * poor to finish anything.
 */
export type RunBudget = { ok: true; runBudgetUsd: number } | { ok: false; reason: string; until: Date };

export const MIN_RUN_FRACTION = 0.25;

export function budgetForRun(
  config: Config,
  agent: AgentConfig,
  spend: DaySpend,
  inFlight: { fleet: number; agent: number },
  now: Date,
): RunBudget {
  const perRun = config.budgets.per_run_usd;
  let budget = perRun;
  const caps: { left: number; describe: () => string }[] = [];

  const agentCap = agent.daily_budget_usd ?? config.budgets.per_agent_daily_usd;
  if (agentCap !== undefined) {
    const spent = spend.byAgent[agent.name] ?? 0;
    const reserved = inFlight.agent * perRun;
    caps.push({
      left: agentCap - spent - reserved,
      describe: () =>
        `${agent.name}'s daily budget: ${usd(spent)} of ${usd(agentCap)} spent today${reservedNote(reserved)}`,
    });
  }
  const fleetCap = config.budgets.fleet_daily_usd;
  if (fleetCap !== undefined) {
    const reserved = inFlight.fleet * perRun;
    caps.push({
      left: fleetCap - spend.fleet - reserved,
      describe: () =>
        `fleet daily budget: ${usd(spend.fleet)} of ${usd(fleetCap)} spent today${reservedNote(reserved)}`,
    });
  }
  for (const cap of caps) {
    if (cap.left < perRun * MIN_RUN_FRACTION) {
      const until = nextLocalMidnight(now);
      return { ok: false, reason: `${cap.describe()}; waits until ${until.toISOString()}`, until };
    }
    budget = Math.min(budget, cap.left);
  }
  // Round down to the cent: never hand a run more than is left.
  return { ok: true, runBudgetUsd: Math.floor(budget * 100) / 100 };
}

function reservedNote(reserved: number): string {
  return reserved > 0 ? ` and ${usd(reserved)} reserved for runs in flight` : '';
}

export function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

export function nextLocalMidnight(now: Date): Date {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d;
}
