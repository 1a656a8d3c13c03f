import { existsSync, promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBranch } from '../src/git/branch.js';
import { removeWorktree } from '../src/git/remove.js';
import { saveWip } from '../src/git/wip.js';
import { inspectWork } from '../src/git/workState.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { git, tempRepo } from './helpers/tmp.js';

const AGENT = { name: 'impl-agent-1', email: 'impl-agent-1@fleet.invalid' };

function commitFile(cwd: string, file: string, content: string, message = `edit ${file}`): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

function addTickfleetFiles(wt: string): void {
  writeFileSync(path.join(wt, '.agent-instructions.md'), '# instructions\n');
  mkdirSync(path.join(wt, '.claude/commands'), { recursive: true });
  writeFileSync(path.join(wt, '.claude/commands/done.md'), 'done\n');
}

describe('inspectWork', () => {
  it('lists uncommitted paths without tickfleet files, and the commits ahead of base', async () => {
    const root = tempRepo({ 'README.md': '# r\n', 'old.txt': 'old\n' });
    const wt = await createTaskWorktree(root, { path: path.join(root, '.orchestrator/agents/a/wt'), base: 'main' });
    const first = commitFile(wt.path, 'one.txt', '1\n', 'first change');
    const second = commitFile(wt.path, 'two.txt', '2\n', 'second change');
    addTickfleetFiles(wt.path);
    writeFileSync(path.join(wt.path, 'README.md'), '# changed\n');
    writeFileSync(path.join(wt.path, 'new file.txt'), 'n\n');
    git(wt.path, 'mv', 'old.txt', 'renamed.txt');

    const state = await inspectWork(wt.path, { base: 'main' });
    expect(state.uncommitted.sort()).toEqual(['README.md', 'new file.txt', 'renamed.txt']);
    expect(state).toMatchObject({
      commitsAhead: 2,
      head: second,
      commits: [
        { sha: second, subject: 'second change' },
        { sha: first, subject: 'first change' },
      ],
    });
  });

  it('reports a fresh worktree as clean and level with base', async () => {
    const root = tempRepo();
    const wt = await createTaskWorktree(root, { path: path.join(root, 'wt'), base: 'main' });
    addTickfleetFiles(wt.path);
    expect(await inspectWork(wt.path, { base: 'main' })).toEqual({
      uncommitted: [],
      commitsAhead: 0,
      head: wt.head,
      commits: [],
    });
  });
});

describe('saveWip', () => {
  it('commits partial work as the agent, leaves tickfleet files out, and the next attempt continues from it', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/a/wt');
    const wt = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    const done = commitFile(wt.path, 'done.txt', 'finished part\n');
    addTickfleetFiles(wt.path);
    git(wt.path, 'add', '.agent-instructions.md'); // the agent staged it by mistake
    writeFileSync(path.join(wt.path, 'half.txt'), 'half\n');

    const saved = await saveWip(wt.path, {
      branch: 'agent/TASK-a1',
      message: 'WIP: TASK-a1 timed out',
      identity: AGENT,
    });
    expect(saved).toMatchObject({ committed: true, files: ['half.txt'], branch: 'agent/TASK-a1' });
    expect(git(root, 'rev-parse', 'agent/TASK-a1')).toBe(saved.head);
    expect(git(root, 'rev-parse', `${saved.head}~1`)).toBe(done);
    expect(git(root, 'log', '-1', '--format=%an <%ae>|%s', saved.head)).toBe(
      'impl-agent-1 <impl-agent-1@fleet.invalid>|WIP: TASK-a1 timed out',
    );
    expect(git(root, 'show', '--name-only', '--format=', saved.head)).toBe('half.txt');
    expect(await inspectWork(wt.path, { base: 'main' })).toMatchObject({ uncommitted: [], commitsAhead: 2 });

    await removeWorktree(root, wt.path);
    const next = await createTaskWorktree(root, { path: wtPath, base: 'main', startFrom: 'agent/TASK-a1' });
    expect(next).toMatchObject({ from: 'wip', head: saved.head });
    expect(await fs.readFile(path.join(wtPath, 'half.txt'), 'utf8')).toBe('half\n');
    expect(existsSync(path.join(wtPath, '.agent-instructions.md'))).toBe(false);
  });

  it('with nothing uncommitted only points the branch at HEAD', async () => {
    const root = tempRepo();
    const wt = await createTaskWorktree(root, { path: path.join(root, 'wt'), base: 'main' });
    const head = commitFile(wt.path, 'a.txt', 'a\n');
    addTickfleetFiles(wt.path);
    const saved = await saveWip(wt.path, { branch: 'agent/TASK-b2', message: 'WIP', identity: AGENT });
    expect(saved).toMatchObject({ committed: false, files: [], head });
    expect(git(root, 'rev-parse', 'agent/TASK-b2')).toBe(head);
  });
});

describe('ensureBranch', () => {
  it('keeps the old tip on a saved branch when moving would drop commits HEAD has no equivalent of', async () => {
    const root = tempRepo();
    const wt = await createTaskWorktree(root, { path: path.join(root, 'wt'), base: 'main' });
    const old = commitFile(wt.path, 'a.txt', 'first idea\n');
    await ensureBranch(wt.path, 'agent/TASK-c3');
    git(wt.path, 'checkout', '-q', '--detach', 'main');
    const fresh = commitFile(wt.path, 'b.txt', 'other idea\n');

    const moved = await ensureBranch(wt.path, 'agent/TASK-c3');
    expect(moved).toMatchObject({
      head: fresh,
      previous: old,
      savedAs: `tickfleet/saved/agent-TASK-c3-${old.slice(0, 8)}`,
    });
    expect(git(root, 'rev-parse', 'agent/TASK-c3')).toBe(fresh);
    expect(git(root, 'rev-parse', moved.savedAs!)).toBe(old);
  });

  it('moves without saving when the old commits were rebased into HEAD', async () => {
    const root = tempRepo();
    const wt = await createTaskWorktree(root, { path: path.join(root, 'wt'), base: 'main' });
    commitFile(wt.path, 'a.txt', 'work\n');
    await ensureBranch(wt.path, 'agent/TASK-d4');
    commitFile(root, 'base.txt', 'base moved\n');
    git(wt.path, 'rebase', '-q', 'main');
    const moved = await ensureBranch(wt.path, 'agent/TASK-d4');
    expect(moved.savedAs).toBeUndefined();
    expect(git(root, 'branch', '--list', 'tickfleet/*')).toBe('');
  });

  it('rejects an invalid branch name', async () => {
    const root = tempRepo();
    await expect(ensureBranch(root, 'bad..name')).rejects.toThrow(/"bad\.\.name" is not a valid branch name/);
  });
});
