import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byPrompt, script, text } from '../src/scripted-api/dsl.js';
import { findTask, implementerScenario } from '../src/scripted-api/implementer.js';
import { runRealClaude, scriptedApi } from './helpers/scriptedApi.js';
import { git, tempRepo } from './helpers/tmp.js';

const IMPLEMENTER = {
  permission_mode: 'acceptEdits' as const,
  allowed_tools: ['Write', 'Edit', 'Read', 'Bash(git add:*)', 'Bash(git commit:*)'],
};

describe('findTask', () => {
  it.each([
    ['# [TASK-a1b2c3d4] Add input validation\nROLE: implement', { id: 'TASK-a1b2c3d4', title: 'Add input validation' }],
    ['---\nid: TASK-0007\ntitle: "Fix the parser"\n---\nbody', { id: 'TASK-0007', title: 'Fix the parser' }],
    ['Please handle TASK-x9 today.', { id: 'TASK-x9', title: 'work on TASK-x9' }],
  ])('%j', (prompt, task) => {
    expect(findTask(prompt)).toEqual(task);
  });

  it('finds nothing in a prompt without a task', () => {
    expect(findTask('Review the code.')).toBeUndefined();
  });
});

describe('implementerScenario with the real client', () => {
  it('writes a file, commits it as the agent, and sums up', async () => {
    const repo = tempRepo();
    const { record, outcome, api } = await runRealClaude({
      scenario: implementerScenario(),
      cwd: repo,
      prompt: "## Your task\n\n# [TASK-1a2b3c4d] Add the greeting (it's small)\nROLE: implement\n",
      settings: IMPLEMENTER,
    });
    expect(outcome.kind).toBe('success');
    expect(record.lastAssistantText).toBe(
      "Implemented TASK-1a2b3c4d (Add the greeting (it's small)): wrote changes/TASK-1a2b3c4d.md and committed it.",
    );
    expect(readFileSync(path.join(repo, 'changes/TASK-1a2b3c4d.md'), 'utf8')).toBe(
      "# TASK-1a2b3c4d\n\nAdd the greeting (it's small)\n",
    );
    expect(git(repo, 'log', '-1', '--format=%s|%an|%cn')).toBe(
      "TASK-1a2b3c4d: Add the greeting (it's small)|Test Author|Test Author",
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(record.result?.permission_denials).toEqual([]);
    // The compound `git add -A && git commit` passed: every part matched an allowed rule.
    expect(api.conversation()[2]!.lastToolResults[0]).toMatchObject({ isError: false });
  });

  it('reports the refusal when the role may not commit', async () => {
    const repo = tempRepo();
    const { record, outcome } = await runRealClaude({
      scenario: implementerScenario(),
      cwd: repo,
      prompt: '# [TASK-deadbeef] Try to commit\n',
      settings: { ...IMPLEMENTER, allowed_tools: ['Write'] },
    });
    // The run itself succeeds; the denial is in the record for the follow-up to see.
    expect(outcome.kind).toBe('success');
    expect(record.result?.permission_denials?.map((d) => d.tool_name)).toEqual(['Bash']);
    expect(record.lastAssistantText).toMatch(/^Could not commit TASK-deadbeef/);
    expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('serves two agents at once from one server, told apart by their prompts and sessions', async () => {
    const api = await scriptedApi(byPrompt({ 'TASK-': implementerScenario() }, script(text('I only review.'))));
    const [a, b, reviewer] = await Promise.all([
      runRealClaude({ api, cwd: tempRepo(), prompt: '# [TASK-aaaa0001] First change\n', settings: IMPLEMENTER }),
      runRealClaude({ api, cwd: tempRepo(), prompt: '# [TASK-bbbb0002] Second change\n', settings: IMPLEMENTER }),
      runRealClaude({ api, prompt: 'Review the latest commits.' }),
    ]);
    expect(git(a.cwd, 'log', '-1', '--format=%s')).toBe('TASK-aaaa0001: First change');
    expect(git(b.cwd, 'log', '-1', '--format=%s')).toBe('TASK-bbbb0002: Second change');
    expect(reviewer.record.lastAssistantText).toBe('I only review.');
    const sessions = new Set(api.conversation().map((r) => r.sessionId));
    expect(sessions).toEqual(new Set([a.record.sessionId, b.record.sessionId, reviewer.record.sessionId]));
    expect(sessions.size).toBe(3);
  });
});
