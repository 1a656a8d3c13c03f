import type { TaskState } from '../core/paths.js';
import type { Priority } from './priority.js';
import type { DeliveryStage } from './stage.js';

export { TASK_STATES, type TaskState } from '../core/paths.js';
export type { Priority } from './priority.js';

export const DEFAULT_PRIORITY: Priority = 'P2';
export const DEFAULT_MAX_ATTEMPTS = 3;

/** A claim on a task. The token fences every later move: a runner whose task was reclaimed cannot finish it. */
export interface Lease {
  holder: string;
  token: string;
  acquired_at: string;
  expires_at: string;
  renewed_at?: string;
  /** The runner process, recorded by renewLease; pid_start guards against pid reuse. */
  pid?: number;
  pid_start?: string;
}

/** What a finished run produced; recorded on done tasks. Extra keys are kept. */
export interface TaskResult {
  branch?: string;
  pr?: string | number;
  cost_usd?: number;
  tokens?: number;
  turns?: number;
  duration_ms?: number;
  [key: string]: unknown;
}

/** The fields tickfleet knows. Unknown fields in a file are kept on rewrite but not exposed. */
export interface TaskFields {
  id: string;
  title: string;
  /** The task role that claims it: implement, test, review, ... */
  role: string;
  priority: Priority;
  /** Base branch the work starts from and is merged into. */
  branch?: string;
  /** ISO time; '' when a hand-written file has none (it then sorts as oldest). */
  created: string;
  created_by?: string;
  blocked_by: string[];
  expedite: boolean;
  attempts: number;
  max_attempts: number;
  lease?: Lease;
  result?: TaskResult;
  /** The last error (a failed attempt, a dead runner, a cancellation). */
  error?: string;
  /** Not claimable before this ISO time (retry backoff, usage-limit release). */
  not_before?: string;
  skip_pr?: boolean;
  /** Branch holding the partial work of an earlier attempt. */
  wip_branch?: string;
  cancelled_at?: string;
  /** Times the task was sent back uncharged because tickfleet's own setup failed (runner/bookkeeping.ts). */
  uncharged_releases?: number;
  /** Where the delivered branch is, for a task in done/ (tasks/stage.ts); absent = finished without a branch to merge. */
  stage?: DeliveryStage;
  /** When the stage last changed. */
  stage_at?: string;
  /** The plan (`plan import`) this task came from, and its job's id in that plan. */
  plan?: string;
  plan_job?: string;
  /** Only agents whose `lanes` include it claim the task; no lane = any agent of its role. */
  lane?: string;
  /** The task this one was split from (`tickfleet split`); its depth is its parent's plus one. */
  parent?: string;
  /** A command task: tickfleet runs this allow-listed command itself, with no model (`commands.allow`). */
  command?: string;
}

export interface Task extends TaskFields {
  /** Markdown after the metadata, byte for byte. */
  body: string;
  state: TaskState;
  /** Absolute path of the file. */
  file: string;
  /** How the file was written; lets a rewrite keep its format, comments and unknown fields. */
  source?: TaskSourceRef;
}

/** Opaque handle on the parsed file (see format.ts); never serialised to JSON. */
export interface TaskSourceRef {
  readonly format: 'frontmatter' | 'header';
  toJSON(): undefined;
}

export interface TaskInput {
  title: string;
  role: string;
  created_by: string;
  priority?: Priority;
  branch?: string;
  blocked_by?: string[];
  expedite?: boolean;
  max_attempts?: number;
  skip_pr?: boolean;
  /** The whole body (markdown). When absent it is built from `context` and `acceptance`. */
  body?: string;
  context?: string;
  acceptance?: string[];
  plan?: string;
  plan_job?: string;
  lane?: string;
  parent?: string;
  command?: string;
}
