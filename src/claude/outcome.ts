import type { ApiRetryEvent, ResultEvent } from './events.js';
import type { RunRecord } from './record.js';

/**
 * How a run ended, from its result event, its exit and what the supervisor
 * did: never from reading the model's prose. Pure, so every case is a
 * one-line test.
 */

export type Outcome =
  | { kind: 'success'; reason: string; structuredOutput?: unknown }
  | { kind: 'max_turns'; reason: string }
  | { kind: 'budget'; reason: string }
  | { kind: 'timeout'; reason: string }
  | { kind: 'stalled'; reason: string }
  /**
   * Rate or usage limit: pause the fleet, do not blame the task. `limit` says
   * which: `rate` (requests or tokens per minute, an API key's 429) or `usage`
   * (a subscription's quota window, or credit). `resetsAt` (ISO) when the
   * stream named one.
   */
  | { kind: 'usage_limit'; reason: string; limit: LimitKind; resetsAt?: string }
  /** Nothing answers at the API endpoint: not the task's fault either. */
  | { kind: 'endpoint_unreachable'; reason: string; url: string }
  | { kind: 'api_error'; reason: string; status?: number; retryable: boolean }
  | { kind: 'no_structured_output'; reason: string }
  | { kind: 'crashed'; reason: string }
  | { kind: 'error'; reason: string };

export type OutcomeKind = Outcome['kind'];

export type LimitKind = 'rate' | 'usage';

/**
 * Outcomes that say nothing about the agent or its task (the account hit a
 * limit, the endpoint is down): they pause the fleet, charge no attempt and
 * do not count in an agent's failure streak.
 */
export function isFleetProblem(kind: string | undefined): boolean {
  return kind === 'usage_limit' || kind === 'endpoint_unreachable';
}

export interface ClassifyOptions {
  /** The run was given --json-schema and its answer is needed. */
  requireStructuredOutput?: boolean;
}

/** The parts of a RunRecord classification reads (tests build them by hand). */
export type OutcomeInput = Pick<RunRecord, 'exitCode' | 'signal'> &
  Partial<
    Pick<
      RunRecord,
      | 'result'
      | 'spawnError'
      | 'timedOut'
      | 'stalled'
      | 'aborted'
      | 'lingered'
      | 'assistantError'
      | 'rateLimit'
      | 'lastApiRetry'
      | 'retryingAtEnd'
      | 'stderrTail'
      | 'diagnostics'
      | 'durationMs'
      | 'timeoutMs'
      | 'stallMs'
    >
  >;

const USAGE_LIMIT_ERRORS = new Set(['rate_limit', 'billing_error']);
const USAGE_LIMIT_TEXT = /usage limit|limit reached|hit your limit|rate limit/i;
/** What the client says when a subscription's window or the account's credit ran out (not a per-minute rate). */
const QUOTA_TEXT = /usage limit|hit your (?:\w+ )?limit|credit balance|limit reached\|/i;

function oneLine(s: string | undefined, max = 200): string {
  const line = (s ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function minutes(ms: number | undefined): string {
  if (ms === undefined) return 'the limit';
  return ms >= 60_000 ? `${Math.round(ms / 6_000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}

function exitText(run: OutcomeInput): string {
  return run.signal ? `signal ${run.signal}` : `exit code ${String(run.exitCode)}`;
}

/** Epoch seconds or milliseconds, or an ISO string, to ISO. */
function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  }
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

function resetsAtOf(run: OutcomeInput, text: string | undefined): string | undefined {
  const fromEvent = toIso(run.rateLimit?.resetsAt);
  if (fromEvent) return fromEvent;
  // Older clients wrote "Claude AI usage limit reached|<epoch seconds>".
  const m = /limit reached\|(\d{10,13})/.exec(text ?? '');
  return m ? toIso(Number(m[1])) : undefined;
}

/**
 * A subscription's rejected rate_limit_event (its five-hour or weekly window),
 * a billing error or the client's "hit your limit" text is a usage limit;
 * any other 429 is a rate limit.
 */
export function limitKind(run: Pick<OutcomeInput, 'rateLimit' | 'assistantError'>, text?: string): LimitKind {
  if (run.rateLimit?.status === 'rejected' || run.assistantError === 'billing_error' || QUOTA_TEXT.test(text ?? ''))
    return 'usage';
  return 'rate';
}

export function usageLimit(run: OutcomeInput, detail: string, text?: string): Outcome {
  const resetsAt = resetsAtOf(run, text);
  const limit = limitKind(run, text);
  const window =
    limit === 'usage' && typeof run.rateLimit?.rateLimitType === 'string' ? ` (${run.rateLimit.rateLimitType})` : '';
  const when = resetsAt ? `resets at ${resetsAt}` : 'no reset time given';
  return {
    kind: 'usage_limit',
    limit,
    reason: `${limit} limit${window}: ${detail}; ${when}`,
    ...(resetsAt ? { resetsAt } : {}),
  };
}

function statusInText(text: string | undefined): number | undefined {
  const m = /^API Error: (?:Repeated )?([45]\d\d)\b/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

function isRetryable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Killed while the client was retrying: the API, not the agent, was stuck. */
function fromRetry(run: OutcomeInput, retry: ApiRetryEvent, killed: string): Outcome {
  const status = retry.error_status ?? undefined;
  const detail = `${killed} while the client retried ${status ? `HTTP ${status}` : retry.error} (attempt ${retry.attempt}/${retry.max_retries})`;
  if (status === 429 || USAGE_LIMIT_ERRORS.has(retry.error)) return usageLimit(run, detail);
  return { kind: 'api_error', reason: detail, ...(status === undefined ? {} : { status }), retryable: true };
}

function fromResult(run: OutcomeInput, r: ResultEvent, options: ClassifyOptions): Outcome {
  const text = oneLine(r.errors?.[0] ?? r.result);
  // After three 529s in a row the client gives up with api_error_status null
  // and "API Error: Repeated 529 Overloaded errors": the status is in the text.
  const status = r.api_error_status ?? statusInText(r.result);
  switch (r.subtype) {
    case 'error_max_turns':
      return { kind: 'max_turns', reason: `stopped at the turn limit after ${r.num_turns ?? '?'} turns` };
    case 'error_max_budget_usd':
      return {
        kind: 'budget',
        reason: `stopped at the budget limit (${text || 'budget reached'}; spent $${(r.total_cost_usd ?? 0).toFixed(4)})`,
      };
    case 'error_max_structured_output_retries':
      return { kind: 'no_structured_output', reason: `structured output never matched the schema: ${text}` };
  }
  if (r.is_error) {
    if (
      status === 429 ||
      USAGE_LIMIT_ERRORS.has(run.assistantError ?? '') ||
      (status === undefined && USAGE_LIMIT_TEXT.test(text))
    ) {
      return usageLimit(run, `${status ? `HTTP ${status}: ` : ''}${text}`, r.result);
    }
    if (status !== undefined || run.assistantError !== undefined) {
      return {
        kind: 'api_error',
        reason: `API error${status ? ` ${status}` : ''}: ${text}`,
        ...(status === undefined ? {} : { status }),
        retryable: isRetryable(status),
      };
    }
    return { kind: 'error', reason: `${r.subtype}: ${text || 'the client reported an error'}` };
  }
  if (r.subtype !== 'success')
    return { kind: 'error', reason: `${r.subtype}: ${text || 'the client reported an error'}` };
  if (run.exitCode !== 0 && !run.lingered) {
    return { kind: 'error', reason: `the result says success but the client ended with ${exitText(run)}` };
  }
  if (options.requireStructuredOutput && r.structured_output === undefined) {
    return {
      kind: 'no_structured_output',
      reason: 'the run finished without calling StructuredOutput, so there is no structured answer',
    };
  }
  const cost = r.total_cost_usd === undefined ? '' : `, $${r.total_cost_usd.toFixed(4)}`;
  const linger = run.lingered ? '; the client did not exit by itself and was killed' : '';
  return {
    kind: 'success',
    reason: `finished in ${r.num_turns ?? '?'} turns${cost}${linger}`,
    ...(r.structured_output === undefined ? {} : { structuredOutput: r.structured_output }),
  };
}

export function classifyOutcome(run: OutcomeInput, options: ClassifyOptions = {}): Outcome {
  if (run.spawnError !== undefined)
    return { kind: 'crashed', reason: `could not start the client: ${oneLine(run.spawnError)}` };
  if (run.result) return fromResult(run, run.result, options);
  if (run.timedOut || run.stalled) {
    const killed = run.timedOut
      ? `killed after ${minutes(run.timeoutMs)} (wall-clock limit)`
      : `killed after ${minutes(run.stallMs)} without a stream event`;
    if (run.retryingAtEnd && run.lastApiRetry) return fromRetry(run, run.lastApiRetry, killed);
    return run.timedOut
      ? { kind: 'timeout', reason: `${killed}, before any result` }
      : { kind: 'stalled', reason: killed };
  }
  if (run.aborted) return { kind: 'error', reason: 'cancelled: the run was stopped before it finished' };
  const said = oneLine(run.stderrTail?.trim().split('\n').pop() || run.diagnostics?.at(-1));
  return {
    kind: 'crashed',
    reason: `no result event; the client ended with ${exitText(run)}${said ? `: ${said}` : ''}`,
  };
}
