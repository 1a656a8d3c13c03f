import { isFleetProblem } from '../claude/outcome.js';
import type { AgentConfig, Config } from '../config/agentsConfig.js';
import { type Clock, localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { queryRuns } from '../ledger/query.js';
import type { MessageInput } from '../messages/message.js';
import { sendMessage } from '../messages/send.js';
import { MIN_RUN_FRACTION, usd } from './budget.js';
import type { TickLog } from './log.js';
import type { AgentDecision, TickPlan } from './plan.js';
import type { TickSnapshot } from './snapshot.js';

/**
 * Messages a tick sends about the fleet itself, each once (a dedupe key), so
 * a person who leaves the fleet running overnight hears of a problem once
 * rather than once a minute:
 *
 * - a daily budget that stops an agent (key `budget:agent:<name>:<local day>`)
 *   or the whole fleet (`budget:fleet:<local day>`): once per day, again the
 *   next day if it happens again;
 * - an agent whose last FAILURE_STREAK runs all failed (`failing:<name>:<run
 *   id of the streak's FAILURE_STREAK-th failure>`): once per streak. Nothing
 *   else says so: a task is reported only when it fails for good, and a role
 *   without tasks (a PM, a proposer) or a broken client fails every run
 *   without any task failing.
 */
export const FAILURE_STREAK = 3;

export interface NoticeOptions {
  clock: Clock;
  log: TickLog;
}

/** Send the notices this tick's plan calls for. Never throws: a notice must not stop the fleet. */
export async function sendTickNotices(
  layout: Layout,
  config: Config,
  snap: TickSnapshot,
  plan: TickPlan,
  options: NoticeOptions,
): Promise<string[]> {
  const wanted: MessageInput[] = [...budgetNotices(config, snap, plan)];
  for (const agent of config.agents) {
    try {
      const notice = await failureStreakNotice(layout, agent, snap);
      if (notice) wanted.push(notice);
    } catch (err) {
      options.log.agent(agent.name, `could not check its failure streak: ${(err as Error).message}`);
    }
  }
  const sent: string[] = [];
  for (const notice of wanted) {
    try {
      const result = await sendMessage(layout, notice, { clock: options.clock });
      if (!result.sent) continue;
      sent.push(notice.dedupeKey ?? notice.title);
      options.log.info(`message sent: ${notice.title}`);
    } catch (err) {
      options.log.info(`could not send the message "${notice.title}": ${(err as Error).message}`);
    }
  }
  return sent;
}

/**
 * A notice for each cap that the ledger's recorded spend alone has used up.
 * A skip caused only by runs in flight (counted at their cap until they
 * report) is not "over budget": those runs may well cost less.
 */
export function budgetNotices(config: Config, snap: TickSnapshot, plan: TickPlan): MessageInput[] {
  const skipped = plan.decisions.filter(
    (d): d is Extract<AgentDecision, { action: 'skip' }> => d.action === 'skip' && d.code === 'budget',
  );
  if (skipped.length === 0) return [];
  const day = localDay(snap.now);
  const floor = config.budgets.per_run_usd * MIN_RUN_FRACTION;
  const notices: MessageInput[] = [];
  const fleetCap = config.budgets.fleet_daily_usd;
  if (fleetCap !== undefined && fleetCap - snap.spend.fleet < floor) {
    const until = skipped[0]?.until ?? '';
    notices.push({
      type: 'warning',
      title: `Fleet daily budget reached: ${usd(snap.spend.fleet)} of ${usd(fleetCap)} spent today`,
      body: [
        `The fleet has spent ${usd(snap.spend.fleet)} today (${day}, local time); budgets.fleet_daily_usd is ${usd(fleetCap)}.`,
        `No agent starts a run before ${resumes(until)}. Runs in progress finish.`,
        `To go on today, raise budgets.fleet_daily_usd in agents.yaml. See the day's runs with \`tickfleet runs --since ${day}\`.`,
      ].join('\n\n'),
      from: 'tickfleet',
      dedupeKey: `budget:fleet:${day}`,
    });
  }
  for (const decision of skipped) {
    const agent = config.agents.find((a) => a.name === decision.agent);
    const cap = agent ? (agent.daily_budget_usd ?? config.budgets.per_agent_daily_usd) : undefined;
    if (!agent || cap === undefined) continue;
    const spent = snap.spend.byAgent[agent.name] ?? 0;
    if (cap - spent >= floor) continue;
    const key =
      agent.daily_budget_usd !== undefined
        ? `daily_budget_usd in its agents.yaml entry (line ${agent.line})`
        : 'budgets.per_agent_daily_usd';
    notices.push({
      type: 'warning',
      title: `${agent.name} reached its daily budget: ${usd(spent)} of ${usd(cap)} spent today`,
      body: [
        `${agent.name} has spent ${usd(spent)} today (${day}, local time); its daily budget is ${usd(cap)} (${key}).`,
        `It starts no run before ${resumes(decision.until ?? '')}. The other agents go on.`,
        `To let it go on today, raise ${key}. See its runs with \`tickfleet runs --agent ${agent.name} --since ${day}\`.`,
      ].join('\n\n'),
      from: 'tickfleet',
      dedupeKey: `budget:agent:${agent.name}:${day}`,
    });
  }
  return notices;
}

/**
 * The streak is named by the run that made it FAILURE_STREAK failures long:
 * usually the last run (read from state, no ledger read); when a tick missed
 * that moment, the ledger's newest runs of the agent tell which run it was.
 * A usage limit is the account's problem and has its own message.
 */
async function failureStreakNotice(
  layout: Layout,
  agent: AgentConfig,
  snap: TickSnapshot,
): Promise<MessageInput | undefined> {
  const state = snap.agents[agent.name];
  const last = state?.last_outcome;
  if (!state || !last || state.consecutive_failures < FAILURE_STREAK || isFleetProblem(last.kind)) return undefined;
  const past = state.consecutive_failures - FAILURE_STREAK;
  let runId = last.run_id;
  if (past > 0) {
    const runs = await queryRuns(layout, { agent: agent.name, limit: past + 1 });
    runId = runs.at(-1)?.run_id ?? runId;
  }
  return {
    type: 'warning',
    title: `${agent.name} failed its last ${state.consecutive_failures} runs`,
    body: [
      `${agent.name} (${agent.role}) has not had a successful run for ${state.consecutive_failures} runs in a row. The last one (${last.run_id}, finished ${last.finished_at}) ended ${last.kind}: ${last.reason}`,
      `It keeps starting on its interval. A failure on every run usually means a problem outside the task: the client, its credentials, the base branch or the test command.`,
      `Look at \`tickfleet runs --agent ${agent.name}\` and its log in .orchestrator/logs/, run \`tickfleet doctor\`, and pause it meanwhile with \`tickfleet pause-agent ${agent.name}\` if the runs cost money.`,
    ].join('\n\n'),
    from: 'tickfleet',
    ...(last.task_id ? { task: last.task_id } : {}),
    dedupeKey: `failing:${agent.name}:${runId}`,
  };
}

/** "2026-03-11 00:00 local time (2026-03-10T23:00:00Z)": midnight as the reader's clock shows it. */
function resumes(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'local midnight';
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `${localDay(d)} ${hm} local time (${iso})`;
}
