import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeCleanOrphans } from '../src/git/orphans.js';
import { prepareSpare, takeSpare } from '../src/git/spare.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { listWorktrees } from '../src/git/worktreeList.js';
import { git, tempRepo } from './helpers/tmp.js';

describe('spare worktrees', () => {
  it('a prepared spare becomes the next task worktree, checked out at the fresh base', async () => {
    const root = tempRepo({ 'a.txt': 'one\n' });
    const first = git(root, 'rev-parse', 'HEAD');
    const spare = path.join(root, '.orchestrator/agents/impl/worktrees/.spare');
    expect(await prepareSpare(root, spare, first)).toBe('created');
    expect(await prepareSpare(root, spare, first)).toBe('kept');

    // The base moves on before the next run.
    writeFileSync(path.join(root, 'a.txt'), 'two\n');
    git(root, 'commit', '-qam', 'second');
    const target = path.join(root, '.orchestrator/agents/impl/worktrees/TASK-00000001');
    const wt = await createTaskWorktree(root, { path: target, base: 'main', spare });
    expect(wt).toMatchObject({ from: 'base', fromSpare: true, head: git(root, 'rev-parse', 'HEAD') });
    expect(git(target, 'show', 'HEAD:a.txt')).toBe('two');
    expect(git(target, 'status', '--porcelain')).toBe('');
    expect(existsSync(spare)).toBe(false);
    expect((await listWorktrees(root)).map((w) => w.path)).toContain(target);
  });

  it('a spare that is not clean is discarded and the worktree is made the usual way', async () => {
    const root = tempRepo();
    const spare = path.join(root, '.orchestrator/agents/impl/worktrees/.spare');
    await prepareSpare(root, spare, 'main');
    writeFileSync(path.join(spare, 'leftover.txt'), 'someone wrote here\n');
    const target = path.join(root, '.orchestrator/agents/impl/worktrees/TASK-00000002');
    expect(await takeSpare(root, spare, target, git(root, 'rev-parse', 'HEAD'))).toBe(false);
    expect(existsSync(spare)).toBe(false);
    const wt = await createTaskWorktree(root, { path: target, base: 'main', spare });
    expect(wt.fromSpare).toBeUndefined();
    expect(existsSync(path.join(target, 'leftover.txt'))).toBe(false);
  });

  it('with no spare, or a spare dir git does not know, nothing breaks', async () => {
    const root = tempRepo();
    const spare = path.join(root, 'nowhere/.spare');
    const target = path.join(root, 'wt');
    expect(await takeSpare(root, spare, target, git(root, 'rev-parse', 'HEAD'))).toBe(false);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(spare, { recursive: true });
    writeFileSync(path.join(spare, 'x'), 'x');
    expect(await takeSpare(root, spare, target, git(root, 'rev-parse', 'HEAD'))).toBe(false);
    expect(existsSync(spare)).toBe(false);
  });

  it('overlapping makes and takes of one spare never give a git error or a broken worktree', async () => {
    const root = tempRepo({ 'a.txt': 'one\n' });
    const head = git(root, 'rev-parse', 'HEAD');
    const dir = path.join(root, '.orchestrator/agents/impl/worktrees');
    const spare = path.join(dir, '.spare');
    const targets = Array.from({ length: 6 }, (_, i) => path.join(dir, `TASK-${i}`));
    // Runs of one agent that overlap: each takes the spare (or makes its worktree) while others make new spares.
    const results = await Promise.allSettled([
      ...targets.map((target) => createTaskWorktree(root, { path: target, base: 'main', spare })),
      ...Array.from({ length: 6 }, (_, i) => prepareSpare(root, spare, head, path.join(dir, `.spare-run${i}`))),
      removeCleanOrphans(root, {
        managedDir: dir,
        inUse: new Set([spare, ...targets, ...Array.from({ length: 6 }, (_, i) => path.join(dir, `.spare-run${i}`))]),
      }),
    ]);
    const failures = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String(r.reason));
    expect(failures).toEqual([]);
    for (const target of targets) {
      expect(git(target, 'rev-parse', '--show-toplevel')).toBe(realpathSync(target));
      expect(git(target, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(target, 'status', '--porcelain')).toBe('');
    }
    // git's own records are whole: every entry is readable from inside, and no half-made spare is left.
    const entries = (await listWorktrees(root)).filter((w) => w.path.startsWith(realpathSync(dir)));
    for (const entry of entries) expect(git(entry.path, 'status', '--porcelain')).toBe('');
    expect(
      entries
        .map((e) => path.basename(e.path))
        .filter((n) => n.startsWith('.spare'))
        .sort(),
    ).toEqual(existsSync(spare) ? ['.spare'] : []);
  }, 60_000);
});
