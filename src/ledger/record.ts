/** One record per agent run: what it cost, what it did, how it ended. */
export interface LedgerRecord {
  run_id: string;
  agent: string;
  role: string;
  task_id?: string;
  model?: string;
  started_at: string;
  finished_at: string;
  /** Set when the run died unseen: finished_at is its last sign of life, not an observed end. */
  finished_at_estimated?: boolean;
  duration_ms: number;
  /** Outcome kind (success, max_turns, budget, timeout, stalled, usage_limit, api_error, crashed, ...). */
  outcome: string;
  reason: string;
  cost_usd: number;
  tokens: { input: number; output: number; cache_read: number; cache_creation: number };
  turns: number;
  session_id?: string;
  exit_code?: number | null;
  /** What the follow-up produced: branch, PR url, review id, tasks created, ... */
  result?: Record<string, unknown>;
}
