import { describe, expect, it } from 'vitest';
import { groupAlive } from '../src/process/group.js';
import { hang, httpError, rateLimited, script, slowStream, text } from '../src/scripted-api/dsl.js';
import { runRealClaude } from './helpers/scriptedApi.js';

// API failures as the real client reports them. The client retries 408, 409,
// 429 and 5xx by itself (10 times, backing off to ~40 s: minutes in all);
// these runs set CLAUDE_CODE_MAX_RETRIES or answer `x-should-retry: false`.

describe('real client: HTTP 429', () => {
  it('without retries: an assistant event with error "rate_limit", then success + is_error + 429, exit 1', async () => {
    const { record, outcome } = await runRealClaude({ scenario: script(rateLimited()) });
    expect(record.exitCode).toBe(1);
    expect(record.assistantError).toBe('rate_limit');
    expect(record.lastAssistantText).toMatch(/^API Error: Request rejected \(429\)/);
    expect(record.result).toMatchObject({ subtype: 'success', is_error: true, api_error_status: 429 });
    expect(record.counters.apiRetries).toBe(0);
    // An API key names no reset time: no rate_limit_event in the stream.
    expect(record.counters.rateLimitEvents).toBe(0);
    expect(outcome).toEqual({
      kind: 'usage_limit',
      limit: 'rate',
      reason: expect.stringContaining('no reset time given'),
    });
  });

  it('x-should-retry: false stops the client retrying even when retries are on', async () => {
    const { record } = await runRealClaude({
      scenario: script(rateLimited({ retry: false })),
      env: { CLAUDE_CODE_MAX_RETRIES: '3' },
    });
    expect(record.counters.apiRetries).toBe(0);
    expect(record.result).toMatchObject({ api_error_status: 429 });
  });

  it('with retries: an api_retry event (retry-after honoured), then the retried request succeeds', async () => {
    const { record, outcome, api } = await runRealClaude({
      scenario: script(rateLimited({ retry: true, retryAfterSeconds: 1 }), text('Recovered.')),
      env: { CLAUDE_CODE_MAX_RETRIES: '1' },
    });
    expect(record.lastApiRetry).toMatchObject({
      type: 'system',
      subtype: 'api_retry',
      attempt: 1,
      max_retries: 1,
      retry_delay_ms: 1000,
      error_status: 429,
      error: 'rate_limit',
    });
    expect(api.conversation().map((r) => r.status)).toEqual([429, 200]);
    expect(outcome.kind).toBe('success');
  });
});

describe('real client: 5xx', () => {
  it('500: api_retry error "server_error", then success + is_error + 500, exit 1', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(httpError(500)),
      env: { CLAUDE_CODE_MAX_RETRIES: '1' },
    });
    expect(record.lastApiRetry).toMatchObject({ error_status: 500, error: 'server_error' });
    expect(record.assistantError).toBe('server_error');
    expect(record.result).toMatchObject({ subtype: 'success', is_error: true, api_error_status: 500 });
    expect(record.exitCode).toBe(1);
    expect(outcome).toMatchObject({ kind: 'api_error', status: 500, retryable: true });
  });

  it('529: the retry says "overloaded", the final message "server_error"', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(httpError(529)),
      env: { CLAUDE_CODE_MAX_RETRIES: '1' },
    });
    expect(record.lastApiRetry).toMatchObject({ error_status: 529, error: 'overloaded' });
    expect(record.assistantError).toBe('server_error');
    expect(record.result).toMatchObject({ is_error: true, api_error_status: 529 });
    expect(outcome).toMatchObject({ kind: 'api_error', status: 529, retryable: true });
  });

  it('three 529s in a row: the client gives up on its own, api_error_status null', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(httpError(529)),
      env: { CLAUDE_CODE_MAX_RETRIES: '10' },
    });
    expect(record.counters.apiRetries).toBe(2);
    expect(record.result).toMatchObject({ subtype: 'success', is_error: true, api_error_status: null });
    expect(record.lastAssistantText).toMatch(/^API Error: Repeated 529 Overloaded errors/);
    expect(outcome).toMatchObject({ kind: 'api_error', status: 529, retryable: true });
  });

  it('a client still retrying 500s when the stall limit hits is an API error, not a stall', async () => {
    // 500s are retried with exponential backoff (0.5 s, 1 s, 2 s, ...), retry-after or not.
    const { record, outcome } = await runRealClaude({
      scenario: script(httpError(500)),
      env: { CLAUDE_CODE_MAX_RETRIES: '10' },
      stallMs: 3_000,
    });
    expect(record).toMatchObject({ stalled: true, retryingAtEnd: true, killedGroup: true });
    expect(record.result).toBeUndefined();
    expect(record.counters.apiRetries).toBeGreaterThanOrEqual(1);
    expect(outcome).toMatchObject({ kind: 'api_error', status: 500, retryable: true });
    expect(outcome.reason).toContain('while the client retried HTTP 500');
  });
});

describe('real client: a server that never answers', () => {
  it('is stalled and its process group killed', async () => {
    const { record, outcome } = await runRealClaude({ scenario: script(hang()), stallMs: 3_000 });
    expect(record.stalled).toBe(true);
    expect(record.killedGroup).toBe(true);
    expect(record.init).toBeDefined();
    expect(record.result).toBeUndefined();
    expect(await groupAlive(record.pid!)).toBe(false);
    expect(outcome.kind).toBe('stalled');
  });

  it('a slow stream is not a stall while it stays under the limit', async () => {
    const { outcome } = await runRealClaude({
      scenario: script(slowStream(100, text('A slow but steady answer, streamed in pieces.'))),
      stallMs: 5_000,
    });
    expect(outcome.kind).toBe('success');
  });
});
