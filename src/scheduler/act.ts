import { randomBytes } from 'node:crypto';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { updateAgentState } from '../agents/state.js';
import type { Config } from '../config/agentsConfig.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { processStartTime } from '../core/processInfo.js';
import { countsOpenPrs } from '../roles/registry.js';
import { claimNext } from '../tasks/claim.js';
import { releaseTask } from '../tasks/release.js';
import type { TickLog } from './log.js';
import type { AgentDecision, TickPlan } from './plan.js';
import type { Spawner } from './spawn.js';

export interface StartedRun {
  agent: string;
  runId: string;
  taskId?: string;
  pid: number;
}

export interface NotStarted {
  agent: string;
  reason: string;
}

export interface ActOptions {
  clock: Clock;
  log: TickLog;
  spawner: Spawner;
  /** The tick's open-PR count (asked once per tick). */
  openPrs: () => Promise<number>;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Carry out the plan's starts: claim (under the queue lock, with the
 * backpressure checked again there), record the run, start the runner.
 * Starts are staggered so agents do not hit the API in the same second.
 */
export async function act(
  layout: Layout,
  config: Config,
  plan: TickPlan,
  options: ActOptions,
): Promise<{ started: StartedRun[]; notStarted: NotStarted[] }> {
  const started: StartedRun[] = [];
  const notStarted: NotStarted[] = [];
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms));
  const starts = plan.decisions.filter((d): d is Extract<AgentDecision, { action: 'start' }> => d.action === 'start');

  for (const [i, decision] of starts.entries()) {
    if (i > 0 && config.scheduler.spawn_stagger_seconds > 0) await sleep(config.scheduler.spawn_stagger_seconds * 1000);
    const now = options.clock.now();
    let taskId: string | undefined;
    let token: string | undefined;
    if (decision.claimRole) {
      const claim = await claimNext(layout, {
        role: decision.claimRole,
        holder: decision.agent,
        ...lanesOf(config, decision.agent),
        leaseSeconds: config.tasks.lease_seconds,
        clock: options.clock,
        limits: {
          maxClaimed: config.queue_limits.max_claimed,
          ...(opensPrs(config, decision.agent)
            ? { maxOpenPrs: config.queue_limits.max_open_prs, openPrs: options.openPrs }
            : {}),
        },
      });
      if (!claim.ok) {
        notStarted.push({ agent: decision.agent, reason: claim.reason });
        options.log.agent(decision.agent, `not started: ${claim.reason}`);
        continue;
      }
      taskId = claim.task.id;
      token = claim.token;
    }

    const runId = newRunId(decision.agent, now);
    await updateAgentState(layout, decision.agent, (s) => ({
      ...s,
      last_started_at: isoSeconds(now),
      running: {
        run_id: runId,
        started_at: isoSeconds(now),
        ...(taskId ? { task_id: taskId } : {}),
        ...(token ? { token } : {}),
      },
    }));
    let pid: number;
    try {
      ({ pid } = await options.spawner(layout, {
        agent: decision.agent,
        runId,
        budgetUsd: decision.runBudgetUsd,
        ...(taskId ? { taskId } : {}),
        ...(token ? { token } : {}),
      }));
    } catch (err) {
      const reason = `could not start the runner: ${(err as Error).message}`;
      if (taskId && token) await releaseTask(layout, taskId, token, { note: reason });
      await updateAgentState(layout, decision.agent, (s) => {
        if (s.running?.run_id !== runId) return undefined;
        delete s.running;
        return s;
      });
      notStarted.push({ agent: decision.agent, reason });
      options.log.agent(decision.agent, reason);
      continue;
    }
    const pidStart = (await processStartTime(pid)) ?? 'unknown';
    await updateAgentState(layout, decision.agent, (s) =>
      s.running?.run_id === runId && s.running.pid === undefined
        ? { ...s, running: { ...s.running, pid, pid_start: pidStart } }
        : undefined,
    );
    started.push({ agent: decision.agent, runId, pid, ...(taskId ? { taskId } : {}) });
    options.log.agent(
      decision.agent,
      `started run ${runId}${taskId ? ` on ${taskId}` : ''} (pid ${pid}, budget $${decision.runBudgetUsd})`,
    );
  }
  return { started, notStarted };
}

/** Sortable, readable and unique: `20260310-120000-impl-1-3f2a`. */
export function newRunId(agent: string, now: Date): string {
  const stamp = isoSeconds(now).replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
  return `${stamp}-${agent}-${randomBytes(2).toString('hex')}`;
}

function opensPrs(config: Config, name: string): boolean {
  const agent = config.agents.find((a) => a.name === name);
  return agent ? countsOpenPrs(agent) : true;
}

/** The agent's lanes for its claim, when agents.yaml limits it to some. */
function lanesOf(config: Config, agent: string): { lanes?: readonly string[] } {
  const lanes = config.agents.find((a) => a.name === agent)?.lanes;
  return lanes ? { lanes } : {};
}
