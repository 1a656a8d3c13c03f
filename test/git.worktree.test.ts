import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchBase, hasRemote, resolveBaseBranch } from '../src/git/base.js';
import { removeWorktree } from '../src/git/remove.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { listWorktrees } from '../src/git/worktreeList.js';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

function commitFile(cwd: string, file: string, content: string, message = `edit ${file}`): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** A bare "origin" holding main, and the repo wired to it. */
function withOrigin(root: string): string {
  const origin = path.join(tempDir('tickfleet-origin-'), 'origin.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  git(root, 'remote', 'add', 'origin', origin);
  git(root, 'push', '-q', 'origin', 'main');
  return origin;
}

function isDetached(worktree: string): boolean {
  try {
    git(worktree, 'symbolic-ref', '-q', 'HEAD');
    return false;
  } catch {
    return true;
  }
}

describe('createTaskWorktree', () => {
  it('makes a detached worktree at the local base without touching the main work tree', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/impl/wt');
    const wt = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    expect(wt).toMatchObject({ from: 'base', head: git(root, 'rev-parse', 'main'), baseRef: 'refs/heads/main' });
    expect(wt.fetchError).toBeUndefined();
    expect(isDetached(wtPath)).toBe(true);
    expect(git(root, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    const list = await listWorktrees(root);
    expect(list.map((e) => [e.branch ?? null, e.detached])).toEqual([
      ['main', false],
      [null, true],
    ]);
  });

  it('starts at the freshly fetched remote base, which may be ahead of the local one', async () => {
    const root = tempRepo();
    const origin = withOrigin(root);
    const other = path.join(tempDir(), 'clone');
    git(tempDir(), 'clone', '-q', origin, other);
    const remoteHead = commitFile(other, 'new.txt', 'from elsewhere\n');
    git(other, 'push', '-q', 'origin', 'main');

    const wt = await createTaskWorktree(root, {
      path: path.join(root, '.orchestrator/agents/a/wt'),
      base: 'main',
      remote: 'origin',
    });
    expect(wt).toMatchObject({
      from: 'base',
      head: remoteHead,
      baseRef: 'refs/remotes/origin/main',
      baseSha: remoteHead,
    });
    expect(git(root, 'rev-parse', 'main')).not.toBe(remoteHead);
  });

  it('reports a failed fetch and falls back to the local base', async () => {
    const root = tempRepo();
    git(root, 'remote', 'add', 'origin', path.join(tempDir(), 'missing.git'));
    expect(await hasRemote(root, 'origin')).toBe(true);
    const base = await fetchBase(root, 'origin', 'main');
    expect(base).toMatchObject({ ref: 'refs/heads/main', fetched: false, sha: git(root, 'rev-parse', 'main') });
    expect(base.fetchError).toMatch(/missing\.git|does not appear|repository/i);
  });

  it('continues from a WIP branch when one exists, else from the base', async () => {
    const root = tempRepo();
    git(root, 'branch', 'agent/TASK-1');
    const wip = commitFile(root, 'x.txt', 'x\n');
    git(root, 'branch', '-f', 'agent/TASK-1', wip);
    git(root, 'reset', '-q', '--hard', 'HEAD~1');

    const a = await createTaskWorktree(root, {
      path: path.join(root, '.orchestrator/agents/a/wt'),
      base: 'main',
      startFrom: 'agent/TASK-1',
    });
    expect(a).toMatchObject({ from: 'wip', head: wip });
    expect(isDetached(a.path)).toBe(true);
    const b = await createTaskWorktree(root, {
      path: path.join(root, '.orchestrator/agents/b/wt'),
      base: 'main',
      startFrom: 'agent/TASK-2',
    });
    expect(b).toMatchObject({ from: 'base', head: git(root, 'rev-parse', 'main') });
  });

  it('reuses a healthy worktree on a retry, keeping what is in it', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/a/wt');
    await createTaskWorktree(root, { path: wtPath, base: 'main' });
    writeFileSync(path.join(wtPath, 'partial.txt'), 'half done\n');
    const again = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    expect(again.from).toBe('reused');
    expect(await fs.readFile(path.join(wtPath, 'partial.txt'), 'utf8')).toBe('half done\n');
    expect((await listWorktrees(root)).length).toBe(2);
  });

  it('repairs a stale registration, first saving commits only the vanished worktree held', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/a/wt');
    await createTaskWorktree(root, { path: wtPath, base: 'main' });
    const stranded = commitFile(wtPath, 'lost.txt', 'precious\n');
    await fs.rm(wtPath, { recursive: true, force: true });

    const wt = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    expect(wt.from).toBe('base');
    expect(existsSync(path.join(wtPath, 'README.md'))).toBe(true);
    const saved = git(root, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads/tickfleet/saved');
    expect(saved).toBe(`tickfleet/saved/wt-${stranded.slice(0, 8)} ${stranded}`);
  });

  it('repairs a worktree whose .git link was damaged, keeping its files', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/a/wt');
    await createTaskWorktree(root, { path: wtPath, base: 'main' });
    writeFileSync(path.join(wtPath, 'partial.txt'), 'half done\n');
    writeFileSync(path.join(wtPath, '.git'), 'gitdir: /nonexistent\n');
    const again = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    expect(again.from).toBe('reused');
    expect(git(wtPath, 'status', '--porcelain')).toBe('?? partial.txt');
  });

  it('moves a leftover folder that is not a worktree aside, files and all, and makes the worktree', async () => {
    const root = tempRepo();
    const wtPath = path.join(root, '.orchestrator/agents/a/worktrees/TASK-1');
    await fs.mkdir(wtPath, { recursive: true });
    writeFileSync(path.join(wtPath, 'notes.txt'), 'mine\n');
    const wt = await createTaskWorktree(root, { path: wtPath, base: 'main' });
    expect(wt.rescued).toBeDefined();
    expect(path.dirname(wt.rescued!)).toBe(path.join(root, '.orchestrator/agents/a/rescued'));
    expect(await fs.readFile(path.join(wt.rescued!, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(git(wtPath, 'rev-parse', '--show-toplevel')).toBe(await fs.realpath(wtPath));
    expect(existsSync(path.join(wtPath, 'notes.txt'))).toBe(false);
  });

  it('neither moves a leftover folder nor reuses a worktree while a process works inside it', async () => {
    const root = tempRepo();
    const leftover = path.join(root, '.orchestrator/agents/a/worktrees/TASK-2');
    await fs.mkdir(leftover, { recursive: true });
    writeFileSync(path.join(leftover, 'notes.txt'), 'mine\n');
    const reused = path.join(root, '.orchestrator/agents/a/worktrees/TASK-3');
    await createTaskWorktree(root, { path: reused, base: 'main' });
    for (const dir of [leftover, reused]) {
      const sitter = spawn('sleep', ['600'], { cwd: dir, stdio: 'ignore' });
      try {
        await expect(createTaskWorktree(root, { path: dir, base: 'main' })).rejects.toThrow(
          new RegExp(`in use by pid ${sitter.pid}`),
        );
        await expect(removeWorktree(root, dir)).rejects.toThrow(
          dir === leftover ? /not a worktree/ : new RegExp(`in use by pid ${sitter.pid}`),
        );
      } finally {
        sitter.kill('SIGKILL');
        await once(sitter, 'exit');
      }
    }
    expect(await fs.readFile(path.join(leftover, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect((await createTaskWorktree(root, { path: reused, base: 'main' })).from).toBe('reused');
  });

  it('names a missing base branch and the setting to change', async () => {
    const root = tempRepo();
    await expect(createTaskWorktree(root, { path: path.join(root, 'wt'), base: 'develop' })).rejects.toThrow(
      /base branch develop does not exist.*review\.base_branch/,
    );
  });
});

describe('resolveBaseBranch', () => {
  it('prefers the configured branch, then the main work tree branch, then main', async () => {
    const root = tempRepo();
    expect(await resolveBaseBranch(root, 'trunk')).toBe('trunk');
    git(root, 'checkout', '-q', '-b', 'dev');
    expect(await resolveBaseBranch(root)).toBe('dev');
    git(root, 'checkout', '-q', '--detach');
    expect(await resolveBaseBranch(root)).toBe('main');
  });
});

describe('removeWorktree', () => {
  it('removes a clean worktree even with tickfleet files in it', async () => {
    const root = tempRepo();
    const wt = await createTaskWorktree(root, { path: path.join(root, '.orchestrator/agents/a/wt'), base: 'main' });
    writeFileSync(path.join(wt.path, '.agent-instructions.md'), '# do things\n');
    await removeWorktree(root, wt.path);
    expect(existsSync(wt.path)).toBe(false);
    expect((await listWorktrees(root)).length).toBe(1);
  });

  it('refuses uncommitted work and stranded commits unless forced', async () => {
    const root = tempRepo();
    const dirty = await createTaskWorktree(root, { path: path.join(root, '.orchestrator/agents/a/wt'), base: 'main' });
    writeFileSync(path.join(dirty.path, 'draft.txt'), 'draft\n');
    await expect(removeWorktree(root, dirty.path)).rejects.toThrow(/has uncommitted work \(draft\.txt\)/);

    const ahead = await createTaskWorktree(root, { path: path.join(root, '.orchestrator/agents/b/wt'), base: 'main' });
    commitFile(ahead.path, 'c.txt', 'c\n');
    await expect(removeWorktree(root, ahead.path)).rejects.toThrow(/1 commit\(s\) no branch keeps/);
    expect(existsSync(ahead.path)).toBe(true);

    await removeWorktree(root, dirty.path, { force: true });
    expect(existsSync(dirty.path)).toBe(false);
  });
});
