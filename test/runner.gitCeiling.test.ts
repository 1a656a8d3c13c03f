import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildClaudeEnv } from '../src/claude/env.js';
import { worktreePathFor } from '../src/core/paths.js';
import { removeWorktree } from '../src/git/remove.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { agentEnv } from '../src/runner/agentEnv.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

/** The environment the client of impl-1 gets, as runAgent builds it. */
async function clientEnv() {
  const layout = await fleetProject('agents:\n  - name: impl-1\n    role: implementer\n');
  const agent = { name: 'impl-1', role: 'implementer' } as Parameters<typeof agentEnv>[0]['agent'];
  const env = buildClaudeEnv({
    extra: agentEnv({
      layout,
      agent,
      runId: 'r1',
      ports: { slot: 0, dev: 41000, mcp: 41001, playwright: 41002 },
      binDir: '/nonexistent',
    }),
  });
  return { layout, env };
}

const sh = (cwd: string, env: Record<string, string>, script: string) =>
  spawnSync('sh', ['-c', script], { cwd, env, encoding: 'utf8' });

describe("an agent's git never reaches the host repository", () => {
  it('git commit in a removed-and-recreated worktree folder fails instead of committing to the host main', async () => {
    const { layout, env } = await clientEnv();
    const wt = worktreePathFor(layout, 'impl-1', 'TASK-1');
    await createTaskWorktree(layout.root, { path: wt, base: 'main' });
    // In a real worktree the agent commits as usual.
    writeFileSync(path.join(wt, 'a.txt'), 'a\n');
    expect(sh(wt, env, 'git add -A && git commit -q -m work').status).toBe(0);
    git(layout.root, 'branch', 'keep', git(wt, 'rev-parse', 'HEAD'));

    const mainBefore = git(layout.root, 'rev-parse', 'main');
    const statusBefore = git(layout.root, 'status', '--porcelain');
    await removeWorktree(layout.root, wt);
    // What an orphaned client's Write tool does: the folder comes back as a plain folder.
    mkdirSync(path.join(wt, 'sub'), { recursive: true });
    writeFileSync(path.join(wt, 'b.txt'), 'b\n');
    for (const cwd of [wt, path.join(wt, 'sub')]) {
      const r = sh(cwd, env, 'git add -A && git commit -q -m orphan');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/not a git repository/);
    }
    expect(git(layout.root, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(layout.root, 'status', '--porcelain')).toBe(statusBefore);
  });

  it('without the ceiling the same commit lands on the host main (what the ceiling prevents)', async () => {
    const { layout, env } = await clientEnv();
    const dir = path.join(worktreePathFor(layout, 'impl-1', 'TASK-2'));
    await fs.mkdir(dir, { recursive: true });
    writeFileSync(path.join(dir, 'b.txt'), 'b\n');
    const { GIT_CEILING_DIRECTORIES: _ceiling, ...without } = env;
    const before = git(layout.root, 'rev-parse', 'main');
    // The agents folder is ignored, so force-add only the folder's file: the rest of the project stays as it is.
    expect(sh(dir, without, 'git add -f b.txt && git commit -q -m orphan').status).toBe(0);
    expect(git(layout.root, 'rev-parse', 'main')).not.toBe(before);
    expect(
      execFileSync('git', ['log', '-1', '--format=%s', 'main'], { cwd: layout.root, encoding: 'utf8' }).trim(),
    ).toBe('orphan');
  });
});
