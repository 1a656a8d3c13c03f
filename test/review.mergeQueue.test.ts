import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { ensureBranch } from '../src/git/branch.js';
import { removeWorktree } from '../src/git/remove.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { mergeBranch, mergeQueueDir } from '../src/review/mergeQueue.js';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

function commitFile(cwd: string, file: string, content: string): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', `edit ${file}`);
  return git(cwd, 'rev-parse', 'HEAD');
}

function newRepo() {
  const root = tempRepo({ 'README.md': '# r\n', 'shared.txt': 'line\n', '.gitignore': '.orchestrator/\n' });
  return { root, layout: layoutFor(root) };
}

/** An agent branch with one commit, made in its own worktree (then removed, the branch keeps it). */
async function agentBranch(root: string, branch: string, file: string, content: string): Promise<string> {
  const wt = await createTaskWorktree(root, {
    path: path.join(layoutFor(root).agents, branch.replace(/\//g, '-'), 'wt'),
    base: 'main',
  });
  commitFile(wt.path, file, content);
  const { head } = await ensureBranch(wt.path, branch);
  await removeWorktree(root, wt.path);
  return head;
}

function scratchLeft(root: string): string[] {
  const dir = mergeQueueDir(layoutFor(root));
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('mergeBranch', () => {
  it('green: rebases onto the current base, tests, and fast-forwards the clean checkout of the base', async () => {
    const { root, layout } = newRepo();
    await agentBranch(root, 'agent/TASK-1', 'feature.txt', 'feature\n');
    const moved = commitFile(root, 'other.txt', 'the base moved on\n');

    const result = await mergeBranch(layout, {
      branch: 'agent/TASK-1',
      base: 'main',
      testCommand: 'test -f feature.txt && test -f other.txt && echo all green',
    });
    expect(result).toMatchObject({ merged: true, previous: moved });
    if (!result.merged) return;
    expect(git(root, 'rev-parse', 'main')).toBe(result.head);
    expect(git(root, 'rev-parse', `${result.head}~1`)).toBe(moved);
    expect(readFileSync(path.join(root, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(git(root, 'rev-parse', 'agent/TASK-1')).toBe(result.head);
    expect(readFileSync(result.testLog!, 'utf8')).toMatch(/all green[\s\S]*# exit 0/);
    expect(scratchLeft(root)).toEqual([]);
  });

  it('moves the base ref atomically when no work tree has it checked out', async () => {
    const { root, layout } = newRepo();
    const head = await agentBranch(root, 'agent/TASK-2', 'feature.txt', 'feature\n');
    git(root, 'checkout', '-q', '-b', 'human-work');
    const result = await mergeBranch(layout, { branch: 'agent/TASK-2', base: 'main' });
    expect(result).toMatchObject({ merged: true, head });
    expect(git(root, 'rev-parse', 'main')).toBe(head);
    expect(git(root, 'symbolic-ref', '--short', 'HEAD')).toBe('human-work');
    expect(existsSync(path.join(root, 'feature.txt'))).toBe(false);
  });

  it('red: a failing test command refuses the merge and leaves base and branch alone', async () => {
    const { root, layout } = newRepo();
    const head = await agentBranch(root, 'agent/TASK-3', 'feature.txt', 'feature\n');
    const base = git(root, 'rev-parse', 'main');
    const result = await mergeBranch(layout, {
      branch: 'agent/TASK-3',
      base: 'main',
      testCommand: 'echo "1 test failed" >&2; exit 3',
    });
    expect(result).toMatchObject({ merged: false, code: 'tests_failed' });
    if (result.merged) return;
    expect(result.reason).toMatch(/tests on agent\/TASK-3 rebased onto main exited 3; see .*\.log/);
    expect(readFileSync(result.testLog!, 'utf8')).toMatch(/1 test failed[\s\S]*# exit 3/);
    expect(git(root, 'rev-parse', 'main')).toBe(base);
    expect(git(root, 'rev-parse', 'agent/TASK-3')).toBe(head);
    expect(scratchLeft(root)).toEqual([]);
  });

  it('kills a test command that runs past its timeout', async () => {
    const { root, layout } = newRepo();
    await agentBranch(root, 'agent/TASK-4', 'feature.txt', 'feature\n');
    const result = await mergeBranch(layout, {
      branch: 'agent/TASK-4',
      base: 'main',
      testCommand: 'sleep 60 & wait',
      testTimeoutMs: 300,
    });
    expect(result).toMatchObject({
      merged: false,
      code: 'tests_failed',
      reason: expect.stringMatching(/timed out after 300 ms/),
    });
  });

  it('conflict: refuses, lists the paths, and leaves base and branch alone', async () => {
    const { root, layout } = newRepo();
    const head = await agentBranch(root, 'agent/TASK-5', 'shared.txt', 'agent version\n');
    const base = commitFile(root, 'shared.txt', 'human version\n');
    const result = await mergeBranch(layout, { branch: 'agent/TASK-5', base: 'main', testCommand: 'true' });
    expect(result).toMatchObject({ merged: false, code: 'conflict', conflicts: ['shared.txt'] });
    expect(git(root, 'rev-parse', 'main')).toBe(base);
    expect(git(root, 'rev-parse', 'agent/TASK-5')).toBe(head);
    expect(readFileSync(path.join(root, 'shared.txt'), 'utf8')).toBe('human version\n');
    expect(scratchLeft(root)).toEqual([]);
  });

  it('refuses while the checkout of the base has uncommitted changes; untracked files do not block', async () => {
    const { root, layout } = newRepo();
    const head = await agentBranch(root, 'agent/TASK-6', 'feature.txt', 'feature\n');
    const base = git(root, 'rev-parse', 'main');
    writeFileSync(path.join(root, 'README.md'), '# being edited by a person\n');
    const refused = await mergeBranch(layout, { branch: 'agent/TASK-6', base: 'main' });
    expect(refused).toMatchObject({
      merged: false,
      code: 'dirty_base',
      reason: expect.stringMatching(
        /main is checked out in .* with uncommitted changes \(README\.md\); commit or stash them/,
      ),
    });
    expect(git(root, 'rev-parse', 'main')).toBe(base);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('# being edited by a person\n');

    git(root, 'checkout', '--', 'README.md');
    writeFileSync(path.join(root, 'scratch-notes.txt'), 'untracked\n');
    expect(await mergeBranch(layout, { branch: 'agent/TASK-6', base: 'main' })).toMatchObject({ merged: true, head });
    expect(readFileSync(path.join(root, 'scratch-notes.txt'), 'utf8')).toBe('untracked\n');
  });

  it('refuses a branch that moved since it was reviewed, or that does not exist', async () => {
    const { root, layout } = newRepo();
    await agentBranch(root, 'agent/TASK-7', 'feature.txt', 'feature\n');
    const reviewed = git(root, 'rev-parse', 'main');
    expect(await mergeBranch(layout, { branch: 'agent/TASK-7', base: 'main', expectedHead: reviewed })).toMatchObject({
      merged: false,
      code: 'branch_moved',
    });
    expect(await mergeBranch(layout, { branch: 'agent/none', base: 'main' })).toMatchObject({
      merged: false,
      code: 'missing',
      reason: 'branch agent/none does not exist',
    });
    expect(git(root, 'rev-parse', 'main')).toBe(reviewed);
  });

  it('two merges at once run one after the other, and both land', async () => {
    const { root, layout } = newRepo();
    await agentBranch(root, 'agent/TASK-8', 'eight.txt', '8\n');
    await agentBranch(root, 'agent/TASK-9', 'nine.txt', '9\n');
    const trace = path.join(tempDir(), 'trace');
    // The pause widens the window in which unserialized runs would overlap.
    const testCommand = `echo start >> ${trace}; sleep 0.3; echo end >> ${trace}`;
    const [a, b] = await Promise.all([
      mergeBranch(layout, { branch: 'agent/TASK-8', base: 'main', testCommand }),
      mergeBranch(layout, { branch: 'agent/TASK-9', base: 'main', testCommand }),
    ]);
    expect(a.merged && b.merged).toBe(true);
    expect(readFileSync(trace, 'utf8').split('\n').filter(Boolean)).toEqual(['start', 'end', 'start', 'end']);
    expect(existsSync(path.join(root, 'eight.txt')) && existsSync(path.join(root, 'nine.txt'))).toBe(true);
    expect(git(root, 'rev-list', '--count', 'main')).toBe('3');
  });
});
