import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBranch } from '../src/git/branch.js';
import { pushBranch } from '../src/git/push.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

function setup() {
  const root = tempRepo();
  const origin = path.join(tempDir('tickfleet-origin-'), 'origin.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  git(root, 'remote', 'add', 'origin', origin);
  git(root, 'push', '-q', 'origin', 'main');
  return { root, origin };
}

describe('pushBranch', () => {
  it('pushes an agent branch from its worktree to a bare remote', async () => {
    const { root, origin } = setup();
    const wt = await createTaskWorktree(root, {
      path: path.join(root, '.orchestrator/agents/a/wt'),
      base: 'main',
      remote: 'origin',
    });
    writeFileSync(path.join(wt.path, 'f.txt'), 'f\n');
    git(wt.path, 'add', 'f.txt');
    git(wt.path, 'commit', '-q', '-m', 'work');
    const { head } = await ensureBranch(wt.path, 'agent/TASK-1');
    expect(await pushBranch(wt.path, { remote: 'origin', branch: 'agent/TASK-1' })).toEqual({
      remote: 'origin',
      branch: 'agent/TASK-1',
      head,
    });
    expect(git(origin, 'rev-parse', 'agent/TASK-1')).toBe(head);
    expect(git(root, 'rev-parse', 'origin/agent/TASK-1')).toBe(head);
  });

  it('overwrites a rewritten branch only with a lease that matches the remote', async () => {
    const { root, origin } = setup();
    git(root, 'branch', 'agent/TASK-2');
    await pushBranch(root, { remote: 'origin', branch: 'agent/TASK-2' });
    const first = git(root, 'rev-parse', 'agent/TASK-2');
    git(root, 'checkout', '-q', 'agent/TASK-2');
    git(root, 'commit', '-q', '--amend', '-m', 'rewritten');
    const rewritten = git(root, 'rev-parse', 'HEAD');

    await expect(pushBranch(root, { remote: 'origin', branch: 'agent/TASK-2' })).rejects.toThrow(
      /git push .* failed in .*\(exit 1\): ! \[rejected\]/,
    );
    await expect(
      pushBranch(root, { remote: 'origin', branch: 'agent/TASK-2', forceWithLease: 'f'.repeat(40) }),
    ).rejects.toThrow(/stale info/);
    expect(git(origin, 'rev-parse', 'agent/TASK-2')).toBe(first);
    await pushBranch(root, { remote: 'origin', branch: 'agent/TASK-2', forceWithLease: true });
    expect(git(origin, 'rev-parse', 'agent/TASK-2')).toBe(rewritten);
  });

  it('names a branch that does not exist', async () => {
    const { root } = setup();
    await expect(pushBranch(root, { remote: 'origin', branch: 'agent/none' })).rejects.toThrow(
      /cannot push agent\/none: no such local branch/,
    );
  });
});
