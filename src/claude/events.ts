/**
 * The events `claude -p --output-format stream-json --verbose` prints, one
 * JSON object a line, as observed from the real client (2.1.x). Only the
 * fields tickfleet reads are typed; the rest stays on the object.
 */

export interface TokenUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** Per-model totals in a result event; they include the client's side requests. */
export interface ModelUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  costUSD?: number;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: unknown; is_error?: boolean }
  | { type: string; [key: string]: unknown };

/** First line: the session id, cwd, model, tools and permission mode in force. */
export interface InitEvent {
  type: 'system';
  subtype: 'init';
  session_id: string;
  cwd?: string;
  model?: string;
  tools?: string[];
  permissionMode?: string;
  claude_code_version?: string;
  [key: string]: unknown;
}

/**
 * The client is retrying a failed API request by itself (HTTP 408/409/429/5xx,
 * up to `max_retries` = CLAUDE_CODE_MAX_RETRIES, default 10). It waits the
 * longer of `retry-after` and an exponential backoff (0.5 s, 1 s, 2 s, ...
 * about 40 s at most); a `retry-after` of a minute or more, or
 * `x-should-retry: false`, makes it give up at once, and so do three 529s in
 * a row. `error` is its category: `rate_limit`, `server_error`, `overloaded`.
 */
export interface ApiRetryEvent {
  type: 'system';
  subtype: 'api_retry';
  attempt: number;
  max_retries: number;
  retry_delay_ms: number;
  error_status: number | null;
  error: string;
  session_id?: string;
  [key: string]: unknown;
}

export interface SystemEvent {
  type: 'system';
  subtype: string;
  [key: string]: unknown;
}

export interface AssistantEvent {
  type: 'assistant';
  message: { id?: string; model?: string; content: ContentBlock[]; usage?: TokenUsage };
  /**
   * Set on the synthetic message the client writes when the API failed:
   * `rate_limit`, `server_error` (5xx and 529), `overloaded`,
   * `authentication_failed`, `billing_error`, `invalid_request`, ...
   */
  error?: string;
  session_id?: string;
  parent_tool_use_id?: string | null;
  [key: string]: unknown;
}

export interface UserEvent {
  type: 'user';
  message: { content: ContentBlock[] | string };
  /** True for turns the client inserts itself (e.g. the structured-output reminder). */
  isSynthetic?: boolean;
  [key: string]: unknown;
}

export interface PermissionDenial {
  tool_name: string;
  tool_use_id?: string;
  tool_input?: unknown;
}

/**
 * The last line. `subtype`: success, error_max_turns, error_max_budget_usd,
 * error_during_execution, error_max_structured_output_retries. An API failure
 * reads `subtype: "success"` with `is_error: true` and `api_error_status`.
 */
export interface ResultEvent {
  type: 'result';
  subtype: string;
  is_error: boolean;
  api_error_status?: number | null;
  terminal_reason?: string;
  result?: string;
  errors?: string[];
  num_turns?: number;
  duration_ms?: number;
  duration_api_ms?: number;
  session_id?: string;
  total_cost_usd?: number;
  usage?: TokenUsage;
  modelUsage?: Record<string, ModelUsage>;
  permission_denials?: PermissionDenial[];
  /** Present only when the model called StructuredOutput with input that fits the schema. */
  structured_output?: unknown;
  [key: string]: unknown;
}

/** Subscription logins only: the account's rate-limit state; `resetsAt` is in epoch seconds. */
export interface RateLimitInfo {
  status?: string;
  resetsAt?: number;
  rateLimitType?: string;
  utilization?: number;
  [key: string]: unknown;
}

export interface RateLimitEvent {
  type: 'rate_limit_event';
  rate_limit_info: RateLimitInfo;
  session_id?: string;
  [key: string]: unknown;
}

export type StreamItem =
  | { kind: 'init'; event: InitEvent }
  | { kind: 'api_retry'; event: ApiRetryEvent }
  | { kind: 'system'; event: SystemEvent }
  | { kind: 'assistant'; event: AssistantEvent }
  | { kind: 'user'; event: UserEvent }
  | { kind: 'result'; event: ResultEvent }
  | { kind: 'rate_limit'; event: RateLimitEvent }
  /** Valid JSON of a type we do not read (stream_event, tool_progress, ...). */
  | { kind: 'other'; event: Record<string, unknown> }
  /** A line that is not a JSON object: kept for the record, never fatal. */
  | { kind: 'diagnostic'; text: string };

/**
 * Does this item show the agent moving? The client's own retries do not, nor
 * do rate-limit notices (they repeat while it waits), nor stray text.
 */
export function isProgress(item: StreamItem): boolean {
  return item.kind !== 'api_retry' && item.kind !== 'rate_limit' && item.kind !== 'diagnostic';
}
