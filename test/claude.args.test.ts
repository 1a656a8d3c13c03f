import { describe, expect, it } from 'vitest';
import { buildClaudeArgs } from '../src/claude/args.js';

describe('buildClaudeArgs', () => {
  const base = { max_turns: 30, extra_args: [] };

  it('always asks for stream-json with --verbose, and never carries the prompt', () => {
    expect(buildClaudeArgs(base)).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '30']);
  });

  it('puts every option in place, one argv element per tool, the variadic tool list last', () => {
    const args = buildClaudeArgs(
      {
        ...base,
        model: 'sonnet',
        permission_mode: 'acceptEdits',
        allowed_tools: ['Write', 'Bash(git add:*)'],
        extra_args: ['--add-dir', '/shared'],
      },
      {
        maxBudgetUsd: 2.5,
        jsonSchema: { type: 'object' },
        appendSystemPrompt: 'Be brief.',
        sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      },
    );
    expect(args).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--max-turns',
      '30',
      '--model',
      'sonnet',
      '--permission-mode',
      'acceptEdits',
      '--max-budget-usd',
      '2.5',
      '--json-schema',
      '{"type":"object"}',
      '--append-system-prompt',
      'Be brief.',
      '--session-id',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      '--add-dir',
      '/shared',
      '--allowedTools',
      'Write',
      'Bash(git add:*)',
    ]);
  });

  it('takes the role defaults where the settings say nothing, and the settings where they do', () => {
    const defaults = { permissionMode: 'default' as const, allowedTools: ['Read'] };
    expect(buildClaudeArgs(base, { defaults })).toEqual([
      ...buildClaudeArgs(base),
      '--permission-mode',
      'default',
      '--allowedTools',
      'Read',
    ]);
    const own = buildClaudeArgs({ ...base, permission_mode: 'plan', allowed_tools: [] }, { defaults });
    expect(own).toContain('plan');
    expect(own).not.toContain('--allowedTools');
  });

  it('passes a JSON Schema given as text unchanged', () => {
    expect(buildClaudeArgs(base, { jsonSchema: '{"type":"object"}' })).toContain('{"type":"object"}');
  });

  it('refuses values the client would reject later', () => {
    expect(() => buildClaudeArgs({ ...base, max_turns: 0 })).toThrow('max_turns must be a positive integer, got 0');
    expect(() => buildClaudeArgs(base, { maxBudgetUsd: -1 })).toThrow('maxBudgetUsd must be a positive number, got -1');
    expect(() => buildClaudeArgs(base, { sessionId: 'agent-1' })).toThrow('sessionId must be a UUID, got agent-1');
  });
});
