import { describe, expect, it } from 'vitest';
import type { ResultEvent } from '../src/claude/events.js';
import { extractMetrics } from '../src/claude/metrics.js';
import { classifyOutcome, type OutcomeInput } from '../src/claude/outcome.js';

// Result events as the real client (2.1.197) printed them against the
// scripted server, trimmed to the fields that matter.
const results = {
  success: {
    type: 'result',
    subtype: 'success',
    is_error: false,
    api_error_status: null,
    num_turns: 2,
    result: 'Done.',
    session_id: 's',
    total_cost_usd: 0.003,
    terminal_reason: 'completed',
    permission_denials: [],
  },
  maxTurns: {
    type: 'result',
    subtype: 'error_max_turns',
    is_error: true,
    num_turns: 2,
    session_id: 's',
    total_cost_usd: 0.002,
    terminal_reason: 'max_turns',
    errors: ['Reached maximum number of turns (1)'],
  },
  budget: {
    type: 'result',
    subtype: 'error_max_budget_usd',
    is_error: true,
    num_turns: 1,
    total_cost_usd: 1.126,
    errors: ['Reached maximum budget ($0.05)'],
  },
  rate429: {
    type: 'result',
    subtype: 'success',
    is_error: true,
    api_error_status: 429,
    num_turns: 1,
    result: 'API Error: Request rejected (429) · Number of requests has exceeded your rate limit',
    total_cost_usd: 0.001,
    terminal_reason: 'completed',
  },
  server500: {
    type: 'result',
    subtype: 'success',
    is_error: true,
    api_error_status: 500,
    num_turns: 1,
    result:
      'API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.',
  },
  overloaded529: {
    type: 'result',
    subtype: 'success',
    is_error: true,
    api_error_status: 529,
    num_turns: 1,
    result: 'API Error: 529 Overloaded.',
  },
  refused: {
    type: 'result',
    subtype: 'success',
    is_error: true,
    api_error_status: null,
    num_turns: 1,
    result: 'API Error: Unable to connect to API (ConnectionRefused)',
    total_cost_usd: 0,
  },
  auth401: {
    type: 'result',
    subtype: 'success',
    is_error: true,
    api_error_status: 401,
    num_turns: 1,
    result: 'Invalid API key · Fix external API key',
  },
  structured: {
    type: 'result',
    subtype: 'success',
    is_error: false,
    num_turns: 2,
    result: '{"summary":"ok"}',
    structured_output: { summary: 'ok' },
  },
  schemaRetries: {
    type: 'result',
    subtype: 'error_max_structured_output_retries',
    is_error: true,
    num_turns: 6,
    errors: ['Failed to provide valid structured output after 5 attempts'],
  },
  during: { type: 'result', subtype: 'error_during_execution', is_error: true, num_turns: 3, errors: ['Tool crashed'] },
} satisfies Record<string, ResultEvent>;

const exited = (
  result: ResultEvent,
  exitCode = result.is_error ? 1 : 0,
  extra: Partial<OutcomeInput> = {},
): OutcomeInput => ({ result, exitCode, signal: null, ...extra });

describe('classifyOutcome from the result event', () => {
  it.each([
    ['success', exited(results.success), 'success', 'finished in 2 turns, $0.0030'],
    ['max turns', exited(results.maxTurns), 'max_turns', 'stopped at the turn limit after 2 turns'],
    [
      'budget',
      exited(results.budget),
      'budget',
      'stopped at the budget limit (Reached maximum budget ($0.05); spent $1.1260)',
    ],
    [
      'HTTP 500',
      exited(results.server500, 1, { assistantError: 'server_error' }),
      'api_error',
      'API error 500: API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.',
    ],
    [
      'connection refused',
      exited(results.refused, 1, { assistantError: 'server_error' }),
      'api_error',
      'API error: API Error: Unable to connect to API (ConnectionRefused)',
    ],
    [
      'schema never met',
      exited(results.schemaRetries),
      'no_structured_output',
      'structured output never matched the schema: Failed to provide valid structured output after 5 attempts',
    ],
    ['error during execution', exited(results.during), 'error', 'error_during_execution: Tool crashed'],
  ])('%s', (_name, input, kind, reason) => {
    expect(classifyOutcome(input)).toMatchObject({ kind, reason });
  });

  it('an API failure reads subtype success: is_error decides', () => {
    expect(classifyOutcome(exited(results.overloaded529, 1, { assistantError: 'server_error' }))).toEqual({
      kind: 'api_error',
      reason: 'API error 529: API Error: 529 Overloaded.',
      status: 529,
      retryable: true,
    });
    expect(classifyOutcome(exited(results.auth401, 1, { assistantError: 'authentication_failed' }))).toMatchObject({
      kind: 'api_error',
      status: 401,
      retryable: false,
    });
    const repeated: ResultEvent = {
      ...results.overloaded529,
      api_error_status: null,
      result: 'API Error: Repeated 529 Overloaded errors. The API is at capacity.',
    };
    expect(classifyOutcome(exited(repeated, 1, { assistantError: 'server_error' }))).toMatchObject({
      kind: 'api_error',
      status: 529,
      retryable: true,
    });
  });

  it('a 429 with an API key is a rate limit, with no reset time', () => {
    expect(classifyOutcome(exited(results.rate429, 1, { assistantError: 'rate_limit' }))).toEqual({
      kind: 'usage_limit',
      limit: 'rate',
      reason:
        'rate limit: HTTP 429: API Error: Request rejected (429) · Number of requests has exceeded your rate limit; no reset time given',
    });
  });

  it('a rejected rate_limit_event makes it a usage limit, with its window and reset time', () => {
    const input = exited(results.rate429, 1, {
      rateLimit: { status: 'rejected', resetsAt: 1795440897, rateLimitType: 'five_hour' },
    });
    expect(classifyOutcome(input)).toMatchObject({
      kind: 'usage_limit',
      limit: 'usage',
      resetsAt: '2026-11-23T13:34:57.000Z',
      reason: expect.stringMatching(/^usage limit \(five_hour\): /),
    });
  });

  it('a usage limit takes its reset time from the older "limit reached|<epoch>" text', () => {
    const result: ResultEvent = {
      type: 'result',
      subtype: 'success',
      is_error: true,
      result: 'Claude AI usage limit reached|1795440897',
    };
    expect(classifyOutcome(exited(result))).toMatchObject({
      kind: 'usage_limit',
      resetsAt: '2026-11-23T13:34:57.000Z',
    });
  });

  it('billing errors pause like usage limits', () => {
    const result: ResultEvent = {
      type: 'result',
      subtype: 'success',
      is_error: true,
      api_error_status: 400,
      result: 'Credit balance is too low',
    };
    expect(classifyOutcome(exited(result, 1, { assistantError: 'billing_error' }))).toMatchObject({
      kind: 'usage_limit',
      limit: 'usage',
    });
  });

  it('structured output: carried on success, required but missing is a failure', () => {
    expect(classifyOutcome(exited(results.structured), { requireStructuredOutput: true })).toMatchObject({
      kind: 'success',
      structuredOutput: { summary: 'ok' },
    });
    expect(classifyOutcome(exited(results.success), { requireStructuredOutput: true })).toEqual({
      kind: 'no_structured_output',
      reason: 'the run finished without calling StructuredOutput, so there is no structured answer',
    });
    expect(classifyOutcome(exited(results.success)).kind).toBe('success');
  });

  it('a success result with a non-zero exit is not a success', () => {
    expect(classifyOutcome(exited(results.success, 2))).toEqual({
      kind: 'error',
      reason: 'the result says success but the client ended with exit code 2',
    });
  });

  it('a success result of a client killed for lingering is still a success', () => {
    expect(classifyOutcome({ result: results.success, exitCode: null, signal: 'SIGTERM', lingered: true }).kind).toBe(
      'success',
    );
  });
});

describe('classifyOutcome without a result event', () => {
  const retry = (status: number, error: string) => ({
    type: 'system' as const,
    subtype: 'api_retry' as const,
    attempt: 4,
    max_retries: 10,
    retry_delay_ms: 4000,
    error_status: status,
    error,
  });

  it.each([
    [
      'timeout',
      { exitCode: null, signal: 'SIGTERM', timedOut: true, timeoutMs: 1_800_000 },
      'timeout',
      'killed after 30 min (wall-clock limit), before any result',
    ],
    [
      'stall',
      { exitCode: null, signal: 'SIGTERM', stalled: true, stallMs: 600_000 },
      'stalled',
      'killed after 10 min without a stream event',
    ],
    [
      'crash by signal',
      { exitCode: null, signal: 'SIGKILL', stderrTail: 'a\nout of memory\n' },
      'crashed',
      'no result event; the client ended with signal SIGKILL: out of memory',
    ],
    [
      'exit 0 without result',
      { exitCode: 0, signal: null },
      'crashed',
      'no result event; the client ended with exit code 0',
    ],
    [
      'stray stdout only',
      { exitCode: 3, signal: null, diagnostics: ['boom'] },
      'crashed',
      'no result event; the client ended with exit code 3: boom',
    ],
    [
      'could not start',
      { exitCode: null, signal: null, spawnError: 'spawn claude ENOENT' },
      'crashed',
      'could not start the client: spawn claude ENOENT',
    ],
    [
      'aborted',
      { exitCode: null, signal: 'SIGTERM', aborted: true },
      'error',
      'cancelled: the run was stopped before it finished',
    ],
  ] as Array<[string, OutcomeInput, string, string]>)('%s', (_name, input, kind, reason) => {
    expect(classifyOutcome(input)).toEqual({ kind, reason });
  });

  it('killed while the client retried 429: a usage limit, not a stall', () => {
    const input: OutcomeInput = {
      exitCode: null,
      signal: 'SIGTERM',
      stalled: true,
      stallMs: 600_000,
      retryingAtEnd: true,
      lastApiRetry: retry(429, 'rate_limit'),
    };
    expect(classifyOutcome(input)).toEqual({
      kind: 'usage_limit',
      limit: 'rate',
      reason:
        'rate limit: killed after 10 min without a stream event while the client retried HTTP 429 (attempt 4/10); no reset time given',
    });
  });

  it('killed while the client retried 529: a retryable API error', () => {
    const input: OutcomeInput = {
      exitCode: null,
      signal: 'SIGTERM',
      timedOut: true,
      timeoutMs: 90_000,
      retryingAtEnd: true,
      lastApiRetry: retry(529, 'overloaded'),
    };
    expect(classifyOutcome(input)).toMatchObject({ kind: 'api_error', status: 529, retryable: true });
  });

  it('an old retry followed by progress does not excuse a stall', () => {
    const input: OutcomeInput = {
      exitCode: null,
      signal: 'SIGTERM',
      stalled: true,
      retryingAtEnd: false,
      lastApiRetry: retry(529, 'overloaded'),
    };
    expect(classifyOutcome(input).kind).toBe('stalled');
  });
});

describe('extractMetrics', () => {
  const counters = {
    events: 5,
    assistantMessages: 2,
    toolUses: 1,
    toolErrors: 0,
    apiRetries: 1,
    rateLimitEvents: 0,
    diagnostics: 0,
  };
  const streamUsage = { input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

  it('sums the per-model totals, which include the side requests and survive a budget stop', () => {
    const result: ResultEvent = {
      ...results.budget,
      session_id: 's',
      duration_api_ms: 61,
      usage: { input_tokens: 0, output_tokens: 0 },
      modelUsage: {
        'claude-opus-4-8[1m]': {
          inputTokens: 200_100,
          outputTokens: 5_020,
          cacheReadInputTokens: 10,
          cacheCreationInputTokens: 20,
          costUSD: 1.1,
        },
        'claude-haiku': { inputTokens: 300, outputTokens: 12, costUSD: 0.026 },
      },
      permission_denials: [{ tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'rm -rf /' } }],
    };
    expect(extractMetrics({ result, durationMs: 1500, counters, streamUsage })).toEqual({
      costUsd: 1.126,
      tokens: { input: 200_400, output: 5_032, cache_read: 10, cache_creation: 20 },
      turns: 1,
      durationMs: 1500,
      apiDurationMs: 61,
      sessionId: 's',
      model: 'claude-opus-4-8[1m]',
      toolUses: 1,
      apiRetries: 1,
      permissionDenials: [{ tool: 'Bash', input: { command: 'rm -rf /' } }],
    });
  });

  it("without a result: the assistant events' usage, no cost", () => {
    expect(extractMetrics({ durationMs: 10, counters, streamUsage, sessionId: 'x' })).toEqual({
      costUsd: 0,
      tokens: { input: 7, output: 3, cache_read: 0, cache_creation: 0 },
      turns: 2,
      durationMs: 10,
      sessionId: 'x',
      toolUses: 1,
      apiRetries: 1,
      permissionDenials: [],
    });
  });
});
