import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { loadConfig } from '../config/load.js';
import { type Clock, isoSeconds, localDay, systemClock } from '../core/clock.js';
import { type Layout, PROPOSAL_STATES } from '../core/paths.js';
import { isProcessAlive } from '../core/processInfo.js';
import { listIds } from '../core/queueFolder.js';
import { branchChecks } from '../gatekeeper/standing.js';
import { mergeQueueLine, mergeQueueStatus } from '../merge-queue/status.js';
import { listMessages } from '../messages/list.js';
import { MESSAGE_TYPES, type Message } from '../messages/message.js';
import { proposalQueue } from '../proposals/store.js';
import { describePull } from '../review/pulls/events.js';
import { openPulls, readPullPoll } from '../review/pulls/poll.js';
import { ReviewStore } from '../review/reviewStore.js';
import { nextDueAt } from '../scheduler/due.js';
import { readInstalledTick } from '../setup/record.js';
import { listQuarantined } from '../tasks/quarantine.js';
import { queueStatus } from '../tasks/queueCounts.js';
import { type AgentStatus, agentStatuses } from './agentStatus.js';
import { attentionItems } from './attention.js';
import { failedTasks } from './failedTasks.js';
import type { AgentLine, FleetStatus, MessageSummary, PullRequestsSummary } from './fleetStatus.js';
import { lastTickAt } from './lastTick.js';

export interface StatusOptions {
  clock?: Clock;
  /** How many of the newest messages to list. */
  newestMessages?: number;
}

/**
 * The whole fleet at a glance. Agent phases come from agentStatuses (the tick's
 * own snapshot and planner), so status says what the next tick would do.
 * Read-only: nothing is moved, repaired or locked.
 */
export async function fleetStatus(layout: Layout, options: StatusOptions = {}): Promise<FleetStatus> {
  const clock = options.clock ?? systemClock;
  const { snapshot, agents } = await agentStatuses(layout, { clock, clientCheck: 'full' });
  const { config } = await loadConfig(layout);
  const now = snapshot.now;
  const queue = await queueStatus(layout);
  const messages = await listMessages(layout);
  const installed = await readInstalledTick(layout);
  const lastTick = await lastTickAt(layout, config.metrics.textfile);
  const quarantined = listQuarantined(layout);
  const pendingReviews = (await new ReviewStore(layout).list('pending')).map((r) => ({
    id: r.meta.id,
    title: r.meta.title,
  }));
  const checks = await branchChecks(layout, config);
  const queued = await mergeQueueStatus(layout);
  const queueLine = mergeQueueLine(queued);
  const pq = proposalQueue(layout);
  const proposals = Object.fromEntries(
    PROPOSAL_STATES.map((s) => [s, listIds(pq, s).length]),
  ) as FleetStatus['proposals'];
  proposals.quarantined = listIds(pq, 'quarantine').length;
  const tick = {
    ...(installed ? { installed: installed.kind } : {}),
    ...(lastTick ? { last_ran_at: isoSeconds(lastTick.at), last_ran_source: lastTick.source } : {}),
    ...(lastTick?.fromRuns ? { last_ran_is_agent_start: true } : {}),
  };

  return {
    root: layout.root,
    now: isoSeconds(now),
    day: localDay(now),
    fleet: {
      paused: config.paused,
      ...(snapshot.fleetPause ? { quota_pause: snapshot.fleetPause } : {}),
      spend_today_usd: round(snapshot.spend.fleet),
      ...(config.budgets.fleet_daily_usd !== undefined ? { daily_budget_usd: config.budgets.fleet_daily_usd } : {}),
      running: agents.filter((a) => a.running).length,
      tick,
    },
    agents: await markDeadRunners(
      agents.map((a) => agentLine(config, a, snapshot.agents[a.name] ?? { consecutive_failures: 0 }, now)),
    ),
    queue: {
      counts: queue.counts,
      byStateAndRole: queue.byStateAndRole,
      byLifecycle: queue.byLifecycle,
      quarantined: queue.quarantined,
      unreadable: queue.unreadable,
      dependency_problems: queue.dependencyProblems,
    },
    proposals,
    messages: summarizeMessages(messages, options.newestMessages ?? 5),
    checks,
    ...(config.review.backend === 'github' ? { pull_requests: await pullRequests(layout) } : {}),
    ...(queueLine
      ? {
          merge_queue: {
            line: queueLine,
            ...(queued.hold ? { held: { kind: queued.hold.kind, reason: queued.hold.reason } } : {}),
          },
        }
      : {}),
    attention: attentionItems({
      now,
      config,
      agents,
      failed: failedTasks(layout),
      // Paths relative to the project root: shorter, and what a person in it types.
      questions: messages
        .filter((m) => m.type === 'question')
        .map((m) => ({ ...m, file: path.relative(layout.root, m.file) })),
      pendingReviews,
      checks,
      quarantined: quarantined.map((q) => ({ ...q, file: path.relative(layout.root, q.file) })),
      proposalsQuarantined: proposals.quarantined,
      unreadable: queue.unreadable,
      dependencyProblems: queue.dependencyProblems,
      openPrs: snapshot.openPrs,
      clientProblems: snapshot.clientProblems ?? {},
      tick,
      ...(lastTick ? { lastTick } : {}),
      ...(queued.hold ? { mergeQueueHold: queued.hold } : {}),
    }),
  };
}

/** What the last tick's PR poll saw: status and its redraws never call gh for it. */
async function pullRequests(layout: Layout): Promise<PullRequestsSummary> {
  const poll = await readPullPoll(layout);
  if (!poll) return { open: [] };
  return {
    polled_at: poll.at,
    ...(poll.error ? { poll_error: poll.error } : {}),
    open: openPulls(poll.prs).map((pr) => ({
      number: pr.number,
      branch: pr.headRefName,
      url: pr.url,
      line: describePull(pr),
    })),
  };
}

/** Paused and running agents have no next start; otherwise the later of its interval and what holds it. */
function agentLine(config: Config, a: AgentStatus, state: Parameters<typeof nextDueAt>[1], now: Date): AgentLine {
  const { running, ...rest } = a;
  const line: AgentLine = { ...rest };
  if (running) {
    const { token: _token, ...shown } = running;
    line.running = shown;
    return line;
  }
  if (a.phase === 'paused' && !a.until) return line;
  const agent = config.agents.find((x) => x.name === a.name);
  if (!agent) return line;
  const due = nextDueAt(agent, state, now).getTime();
  const until = a.until ? new Date(a.until).getTime() : 0;
  line.next_due_at = isoSeconds(new Date(Math.max(due, until, now.getTime())));
  return line;
}

/** A runner killed without a word is still recorded as running until a tick buries it: say so now. */
async function markDeadRunners(lines: AgentLine[]): Promise<AgentLine[]> {
  for (const line of lines) {
    const pid = line.running?.pid;
    if (pid === undefined) continue;
    if (await isProcessAlive({ pid, start: line.running?.pid_start ?? 'unknown' })) continue;
    line.runner_dead = `runner died (pid ${pid}), the next tick will bury it`;
  }
  return lines;
}

function summarizeMessages(messages: Message[], newest: number): MessageSummary {
  const byType = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, 0])) as MessageSummary['byType'];
  for (const m of messages) byType[m.type]++;
  return {
    total: messages.length,
    byType,
    newest: messages
      .slice(0, newest)
      .map((m) => ({ type: m.type, title: m.title, time: m.time, from: m.from, file: m.file })),
  };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
