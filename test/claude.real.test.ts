import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMetrics } from '../src/claude/metrics.js';
import { parseStreamJson } from '../src/claude/stream.js';
import { script, structuredOutput, text, toolUse, turn } from '../src/scripted-api/dsl.js';
import { runRealClaude } from './helpers/scriptedApi.js';

// The real client against the scripted server: each fact the supervisor and
// the classifier rely on, checked against the client itself.

describe('real client: runs that end normally', () => {
  it('writes a file with a tool, answers, and reports success with a cost', async () => {
    const { record, outcome, api, cwd } = await runRealClaude({
      scenario: script(
        turn(
          text('Writing the file.'),
          toolUse('Write', (req) => ({ file_path: path.join(req.cwd!, 'hello.txt'), content: 'hi\n' })),
        ),
        text('Wrote hello.txt.'),
      ),
      settings: { permission_mode: 'acceptEdits', allowed_tools: ['Write'] },
    });
    expect(outcome).toMatchObject({ kind: 'success' });
    expect(readFileSync(path.join(cwd, 'hello.txt'), 'utf8')).toBe('hi\n');
    expect(record.exitCode).toBe(0);
    expect(record.result).toMatchObject({
      subtype: 'success',
      is_error: false,
      num_turns: 2,
      terminal_reason: 'completed',
    });
    expect(record.lastAssistantText).toBe('Wrote hello.txt.');
    expect(record.toolUses.map((t) => t.name)).toEqual(['Write']);
    // The client prints one event per content block; both blocks of the first message count once.
    expect(record.counters.assistantMessages).toBe(2);
    expect(record.init?.permissionMode).toBe('acceptEdits');

    // The request log: a HEAD probe, then the conversation. The title side
    // request is non-essential traffic, which scriptedApiEnv turns off.
    const convo = api.conversation();
    expect(convo).toHaveLength(2);
    expect(convo[0]!.sessionId).toBe(record.sessionId);
    expect(convo[0]!.cwd).toBe(cwd);
    expect(convo[0]!.firstUserText).toContain('Do the scripted work.');
    expect(convo[0]!.tools).toContain('Write');
    expect(convo[1]!.lastToolResults[0]).toMatchObject({ isError: false });
    expect(api.requests.map((r) => r.reply)).toEqual(['other', 'message', 'message']);

    const metrics = extractMetrics(record);
    expect(metrics.costUsd).toBeGreaterThan(0);
    expect(metrics.tokens.input).toBeGreaterThan(0);
    expect(metrics.tokens.cache_read).toBeGreaterThan(0);
    expect(metrics.turns).toBe(2);
    expect(metrics.sessionId).toBe(record.sessionId);

    // The transcript is the client's stdout, one event a line.
    const items = parseStreamJson(readFileSync(record.transcriptPath, 'utf8'));
    expect(items[0]!.kind).toBe('init');
    expect(items.at(-1)!.kind).toBe('result');
  });

  it('--max-turns 1 with a model that keeps calling tools ends error_max_turns, exit 1', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(toolUse('Write', { file_path: 'again.txt', content: 'x' })),
      settings: { max_turns: 1, permission_mode: 'acceptEdits', allowed_tools: ['Write'] },
    });
    expect(record.exitCode).toBe(1);
    expect(record.result).toMatchObject({
      subtype: 'error_max_turns',
      is_error: true,
      terminal_reason: 'max_turns',
      errors: ['Reached maximum number of turns (1)'],
    });
    expect(outcome.kind).toBe('max_turns');
  });

  it('--max-budget-usd stops after the turn that crossed it, before its tool finishes', async () => {
    const { record, outcome, api } = await runRealClaude({
      scenario: script(
        toolUse(
          'Write',
          { file_path: 'big.txt', content: 'x' },
          { usage: { input_tokens: 200_000, output_tokens: 5_000 } },
        ),
        text('never reached'),
      ),
      settings: { permission_mode: 'acceptEdits', allowed_tools: ['Write'] },
      argOptions: { maxBudgetUsd: 0.05 },
    });
    expect(record.exitCode).toBe(1);
    expect(record.result).toMatchObject({
      subtype: 'error_max_budget_usd',
      is_error: true,
      errors: ['Reached maximum budget ($0.05)'],
    });
    expect(record.result!.total_cost_usd).toBeGreaterThan(0.05);
    expect(api.conversation()).toHaveLength(1);
    expect(outcome.kind).toBe('budget');
    // `usage` reads zero here; the per-model totals still hold the tokens.
    expect(extractMetrics(record).tokens.input).toBeGreaterThanOrEqual(200_000);
  });
});

describe('real client: --json-schema', () => {
  const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };

  it('carries structured_output when the model calls StructuredOutput; the run ends there', async () => {
    const { record, outcome, api } = await runRealClaude({
      scenario: script(structuredOutput({ summary: 'all good' }), text('unused')),
      argOptions: { jsonSchema: schema },
      requireStructuredOutput: true,
    });
    expect(api.conversation()[0]!.tools).toContain('StructuredOutput');
    expect(api.conversation()).toHaveLength(1);
    expect(record.result).toMatchObject({
      subtype: 'success',
      is_error: false,
      structured_output: { summary: 'all good' },
    });
    expect(outcome).toEqual({ kind: 'success', reason: expect.any(String), structuredOutput: { summary: 'all good' } });
  });

  it('without a StructuredOutput call: one reminder, then success with no structured_output', async () => {
    const { record, outcome, api } = await runRealClaude({
      scenario: script(text('I would rather not.')),
      argOptions: { jsonSchema: schema },
      requireStructuredOutput: true,
    });
    expect(api.conversation()).toHaveLength(2);
    expect(api.conversation()[1]!.messageCount).toBe(4);
    expect(record.exitCode).toBe(0);
    expect(record.result).toMatchObject({ subtype: 'success', is_error: false });
    expect(record.result!.structured_output).toBeUndefined();
    expect(outcome.kind).toBe('no_structured_output');
  });

  it('input that breaks the schema: 5 tries, then error_max_structured_output_retries, exit 1', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(structuredOutput({ wrong: 1 })),
      argOptions: { jsonSchema: schema },
    });
    expect(record.exitCode).toBe(1);
    expect(record.result).toMatchObject({ subtype: 'error_max_structured_output_retries', is_error: true });
    expect(record.counters.toolErrors).toBe(5);
    expect(outcome.kind).toBe('no_structured_output');
  });
});

describe('real client: bypassPermissions as root', () => {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  it.runIf(asRoot)('refuses without IS_SANDBOX: no event, exit 1, the reason on stderr', async () => {
    const { record, outcome, api } = await runRealClaude({
      scenario: script(text('unreachable')),
      settings: { permission_mode: 'bypassPermissions' },
      isRoot: false, // pretend we are not root, so IS_SANDBOX is not set
    });
    expect(record.exitCode).toBe(1);
    expect(record.counters.events).toBe(0);
    expect(record.stderrTail).toContain('cannot be used with root/sudo privileges');
    expect(api.conversation()).toHaveLength(0);
    expect(outcome.kind).toBe('crashed');
    expect(outcome.reason).toContain('root/sudo');
  });

  it.runIf(asRoot)('runs when buildClaudeEnv sets IS_SANDBOX=1 for root', async () => {
    const { record, outcome } = await runRealClaude({
      scenario: script(
        toolUse('Write', (req) => ({ file_path: path.join(req.cwd!, 'free.txt'), content: 'x' })),
        text('done'),
      ),
      settings: { permission_mode: 'bypassPermissions' },
    });
    expect(record.init?.permissionMode).toBe('bypassPermissions');
    expect(outcome.kind).toBe('success');
    expect(existsSync(path.join(record.cwd, 'free.txt'))).toBe(true);
  });
});
