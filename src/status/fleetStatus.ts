import type { ProposalState, TaskState } from '../core/paths.js';
import type { FleetPause } from '../fleet/pause.js';
import type { BranchChecks } from '../gatekeeper/standing.js';
import type { MessageType } from '../messages/message.js';
import type { SchedulerKind } from '../setup/plan.js';
import type { DependencyProblem } from '../tasks/deps.js';
import type { Lifecycle } from '../tasks/lifecycle.js';
import type { AgentStatus } from './agentStatus.js';

/** Everything `tickfleet status` shows; `--json` prints exactly this. */
export interface FleetStatus {
  root: string;
  /** When this was read (ISO, UTC). */
  now: string;
  /** The local day budgets count in. */
  day: string;
  fleet: FleetSummary;
  agents: AgentLine[];
  queue: QueueSummary;
  proposals: Record<ProposalState, number> & { quarantined: number };
  messages: MessageSummary;
  /** Branches under the gatekeepers (gatekeeper.enabled, local reviews): their checks at their head. */
  checks: BranchChecks[];
  /** The github back end: the open tickfleet PRs as the last tick's poll saw them (no gh call here). */
  pull_requests?: PullRequestsSummary;
  /** The local merge queue in one line (merge-queue/status.ts); absent when it has nothing to say. */
  merge_queue?: { line: string; held?: { kind: string; reason: string } };
  /** What will not sort itself out: each item needs a person. */
  attention: AttentionItem[];
}

export interface PullRequestsSummary {
  /** When the PRs were read; absent before the first tick polled. */
  polled_at?: string;
  /** The last poll failed: the PRs below are those of the poll before. */
  poll_error?: { at: string; message: string };
  /** One line per open PR: checks passing or failing, review decision. */
  open: { number: number; branch: string; url: string; line: string }[];
}

export interface FleetSummary {
  /** `paused: true` at the top of agents.yaml. */
  paused: boolean;
  /** A usage or rate limit pause in force. */
  quota_pause?: FleetPause;
  spend_today_usd: number;
  /** budgets.fleet_daily_usd, when set. */
  daily_budget_usd?: number;
  running: number;
  tick: TickInfo;
}

export interface TickInfo {
  /** The scheduler `tickfleet setup` installed the tick in, if any. */
  installed?: SchedulerKind;
  /** When a tick last ran, as far as its files tell (see lastTick.ts). */
  last_ran_at?: string;
  /** What told: a file every tick writes, or an agent's last start. */
  last_ran_source?: string;
  /** Only an agent start told: the last sign of a tick, ticks since may have started nothing. */
  last_ran_is_agent_start?: boolean;
}

/** One agent: agent-status's line plus when it could next start. The lease token is left out. */
export interface AgentLine extends Omit<AgentStatus, 'running'> {
  running?: Omit<NonNullable<AgentStatus['running']>, 'token'>;
  /** When it may next start, when that is known (not for running or paused agents). */
  next_due_at?: string;
  /** Set when the recorded runner is gone: what happened and what comes next. */
  runner_dead?: string;
}

export interface QueueSummary {
  counts: Record<TaskState, number>;
  byStateAndRole: Record<TaskState, Record<string, number>>;
  /** Tasks per lifecycle (tasks/lifecycle.ts): done split into in review, approved, merging, merged, finished. */
  byLifecycle: Record<Lifecycle, number>;
  quarantined: number;
  unreadable: { file: string; state: TaskState; reason: string }[];
  dependency_problems: DependencyProblem[];
}

export interface MessageSummary {
  total: number;
  byType: Record<MessageType, number>;
  /** The newest few, newest first. */
  newest: { type: MessageType; title: string; time: string; from: string; file: string }[];
}

export type AttentionKind =
  | 'failed_task'
  | 'question'
  | 'quarantined'
  | 'unreadable_task'
  | 'dependency'
  | 'open_prs_unreadable'
  | 'stuck_agent'
  | 'failing_agent'
  | 'review_waiting'
  | 'review_backpressure'
  | 'no_tick'
  | 'client_cannot_start'
  | 'checks_need_person'
  | 'review_ready'
  | 'merge_queue_held';

export interface AttentionItem {
  kind: AttentionKind;
  /** What is wrong, in one line. */
  text: string;
  /** What to do about it, in one line. */
  fix: string;
  /** The task, agent or file it is about. */
  ref?: string;
}
