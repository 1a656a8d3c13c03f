/**
 * The resolved configuration: agents.yaml after validation, with every default
 * filled in. Everything outside src/config reads this, never the raw YAML.
 */

export const ROLES = [
  'product_manager',
  'implementer',
  'tester',
  'reviewer',
  'proposer',
  'curator',
  'gatekeeper',
  'gatekeeper_coordinator',
] as const;
export type Role = (typeof ROLES)[number];

/** The workflow model: a product manager creates tasks, or proposers + curator. */
export const WORKFLOW_MODELS = ['task', 'proposal'] as const;
export type WorkflowModel = (typeof WORKFLOW_MODELS)[number];

export const PERMISSION_MODES = ['acceptEdits', 'bypassPermissions', 'default', 'dontAsk', 'plan', 'auto'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export const REVIEW_BACKENDS = ['auto', 'github', 'local'] as const;
export type ReviewBackend = (typeof REVIEW_BACKENDS)[number];

/** How an agent runs the Claude Code client. Fleet-wide under `claude:`, overridable per agent. */
export interface ClaudeSettings {
  /** argv prefix of the client; default ["claude"]. Tests and other CLIs stand in here. */
  command: string[];
  /** --model; undefined = the client's default. */
  model?: string;
  /** --max-turns */
  max_turns: number;
  /** --permission-mode; undefined = the role's default. */
  permission_mode?: PermissionMode;
  /** --allowedTools; undefined = the role's default. */
  allowed_tools?: string[];
  /** Extra arguments appended to the client's command line. */
  extra_args: string[];
  /** Wall-clock limit of one run. */
  timeout_minutes: number;
  /** Kill a run that emits no stream event for this long (api_retry events are not progress). */
  stall_minutes: number;
  /** Extra environment for the client. */
  env: Record<string, string>;
}

export interface AgentConfig {
  name: string;
  role: Role;
  interval_seconds: number;
  paused: boolean;
  /** Proposer / gatekeeper specialty (test_quality, architecture, lint, ...). */
  focus?: string;
  /** Task role this agent claims (implementer → implement, tester → test, reviewer → review). */
  task_role?: string;
  /** Lanes this agent claims from (a task's `lane`); undefined = any task of its task role. */
  lanes?: string[];
  /** Per-agent daily budget in USD; undefined = no per-agent cap. */
  daily_budget_usd?: number;
  claude: ClaudeSettings;
  /** 1-based line of this agent's entry in agents.yaml, for messages. */
  line: number;
}

export interface QueueLimits {
  max_incoming: number;
  max_claimed: number;
  max_open_prs: number;
}

export interface ProposalLimit {
  max_active: number;
  max_per_run: number;
}

export interface GatekeeperConfig {
  enabled: boolean;
  auto_approve: boolean;
  required_checks: string[];
  optional_checks: string[];
  /** Check name → shell command run in a worktree of the branch's head (no model). */
  commands: Record<string, string>;
  /** Fix tasks made for one branch before it waits for a person. */
  max_fix_rounds: number;
  check_timeout_minutes: number;
}

/** Command tasks (config/commandTasks.ts): what tickfleet may run itself, for how long, how many at once. */
export interface CommandsConfig {
  allow: string[];
  timeout_minutes: number;
  max_running: number;
}

export interface BudgetConfig {
  /** Passed to the client as --max-budget-usd. */
  per_run_usd: number;
  /** Default daily cap for every agent; undefined = none. */
  per_agent_daily_usd?: number;
  /** Daily cap for the whole fleet; undefined = none. */
  fleet_daily_usd?: number;
}

export interface TaskDefaults {
  max_attempts: number;
  /** A claim's lease; the runner renews it every third of this. */
  lease_seconds: number;
  /** Wait before a requeued task may be claimed again (doubles per attempt). */
  retry_backoff_seconds: number;
  /** Deepest a task split by `tickfleet split` may nest (a first task is depth 0). */
  max_depth: number;
}

export interface SchedulerConfig {
  max_spawns_per_tick: number;
  /** Seconds between two spawns of one tick. */
  spawn_stagger_seconds: number;
  /** Keep a spare checkout per agent, prepared during its run, for its next run. */
  spare_worktrees: boolean;
}

export interface QuotaConfig {
  /** Fleet pause after a usage or rate limit that names no reset time. */
  backoff_minutes: number;
}

export interface ReviewConfig {
  /** auto = github when the repository has a remote and gh is installed, else local. */
  backend: ReviewBackend;
  /** The branch work is based on and merged into; undefined = the main work tree's branch. */
  base_branch?: string;
  remote: string;
  /** The project's test command, run before a merge; undefined = none. */
  test_command?: string;
}

export interface MergeQueueConfig {
  /** Approved branches stacked and tested together. */
  batch_size: number;
  test_timeout_minutes: number;
  /** github back end: `gh pr merge --auto --<method>`. */
  github_merge_method: 'merge' | 'squash' | 'rebase';
}

export interface PortConfig {
  base: number;
  stride: number;
}

export interface MetricsConfig {
  /** Prometheus textfile path (node_exporter textfile collector); undefined = off. */
  textfile?: string;
}

export interface CuratorConfig {
  /** Score weights the curator's prompt states (see README). */
  weights: Record<string, number>;
  /** Minimum weighted score to promote. */
  promote_threshold: number;
}

export interface Config {
  /** Absolute path of the agents.yaml this came from. */
  file: string;
  model: WorkflowModel;
  /** Top-level pause: no agent is started. */
  paused: boolean;
  queue_limits: QueueLimits;
  /** Per proposer name; proposers not listed get `proposal_defaults`. */
  proposal_limits: Record<string, ProposalLimit>;
  proposal_defaults: ProposalLimit;
  voice_weights: Record<string, number>;
  curator: CuratorConfig;
  gatekeeper: GatekeeperConfig;
  commands: CommandsConfig;
  claude: ClaudeSettings;
  budgets: BudgetConfig;
  tasks: TaskDefaults;
  scheduler: SchedulerConfig;
  quota: QuotaConfig;
  review: ReviewConfig;
  merge_queue: MergeQueueConfig;
  ports: PortConfig;
  metrics: MetricsConfig;
  agents: AgentConfig[];
}

/** One problem found in agents.yaml. */
export interface ConfigProblem {
  /** Dotted path with indexes: `agents[2].interval_seconds`. */
  path: string;
  /** 1-based line, when known. */
  line?: number;
  message: string;
}
