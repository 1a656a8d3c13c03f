import { describe, expect, it } from 'vitest';
import { buildClaudeEnv, NESTED_SESSION_VARS } from '../src/claude/env.js';

describe('buildClaudeEnv', () => {
  const base = {
    PATH: '/usr/bin',
    HOME: '/home/a',
    CLAUDECODE: '1',
    CLAUDE_CODE_ENTRYPOINT: 'cli',
    CLAUDE_CODE_SESSION_ID: 'x',
    IS_SANDBOX: '1',
    UNSET: undefined,
  };

  it('inherits, and drops what would make the client think it is nested', () => {
    const env = buildClaudeEnv({ base });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/a' });
    for (const key of NESTED_SESSION_VARS) expect(env).not.toHaveProperty(key);
  });

  it('gives the agent its own git identity as author and committer', () => {
    const env = buildClaudeEnv({ base: {}, identity: { name: 'impl-1', email: 'impl-1@fleet.invalid' } });
    expect(env).toEqual({
      GIT_AUTHOR_NAME: 'impl-1',
      GIT_AUTHOR_EMAIL: 'impl-1@fleet.invalid',
      GIT_COMMITTER_NAME: 'impl-1',
      GIT_COMMITTER_EMAIL: 'impl-1@fleet.invalid',
    });
  });

  it("applies the caller's variables last", () => {
    const env = buildClaudeEnv({
      base,
      identity: { name: 'a', email: 'a@x' },
      extra: { PATH: '/opt/bin', TICKFLEET_PORT_DEV: '41000', GIT_AUTHOR_NAME: 'override' },
    });
    expect(env).toMatchObject({
      PATH: '/opt/bin',
      TICKFLEET_PORT_DEV: '41000',
      GIT_AUTHOR_NAME: 'override',
      GIT_COMMITTER_NAME: 'a',
    });
  });

  it('sets IS_SANDBOX=1 only for bypassPermissions as root', () => {
    expect(buildClaudeEnv({ base: {}, permissionMode: 'bypassPermissions', isRoot: true })).toEqual({
      IS_SANDBOX: '1',
    });
    expect(buildClaudeEnv({ base: {}, args: ['--dangerously-skip-permissions'], isRoot: true })).toEqual({
      IS_SANDBOX: '1',
    });
    expect(buildClaudeEnv({ base: {}, args: ['--permission-mode', 'bypassPermissions'], isRoot: true })).toEqual({
      IS_SANDBOX: '1',
    });
    expect(buildClaudeEnv({ base: {}, permissionMode: 'bypassPermissions', isRoot: false })).toEqual({});
    expect(buildClaudeEnv({ base: { IS_SANDBOX: '1' }, permissionMode: 'acceptEdits', isRoot: true })).toEqual({});
  });
});
