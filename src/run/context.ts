import type { AgentConfig, Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { GitIdentity } from '../git/run.js';
import type { TaskWorktree } from '../git/worktree.js';
import type { Task } from '../tasks/task.js';

export interface Workspace {
  /** Where the client runs. */
  cwd: string;
  /** The git worktree, when the role works on code (a role with a scratch folder has none). */
  worktree?: TaskWorktree;
  base: string;
  /** Set when the repository has the configured remote. */
  remote?: string;
  /**
   * Set when merges land in this repository's base (the local review queue)
   * rather than on the remote: the local base, when ahead, is the base to
   * start from and rebase onto, so a dependent contains its merged blocker.
   */
  mergesLocally?: boolean;
  /** Files left with conflict markers by merging the fresh base into an earlier attempt's work. */
  conflicts?: string[];
}

/** Everything one agent run knows about itself, passed to each step. */
export interface RunContext {
  layout: Layout;
  config: Config;
  agent: AgentConfig;
  runId: string;
  clock: Clock;
  identity: GitIdentity;
  /** The claimed task and its fencing token, for roles that work on tasks. */
  task?: Task;
  token?: string;
  workspace?: Workspace;
  /** A line for the agent's log. */
  log: (message: string) => void;
}

/** What the follow-up made of a run, for the ledger, the state file and the log. */
export interface FollowUp {
  /** One line: what happened to the task or the work. */
  summary: string;
  /** What the run produced (branch, PR, review, tasks created, ...). */
  result?: Record<string, unknown>;
  /** Where the task ended up, when there was one. */
  taskState?: string;
  /** The run's outcome as the ledger records it, when the follow-up knows better than the client (a "success" that committed nothing). */
  outcome?: string;
}
