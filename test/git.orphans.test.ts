import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { ensureBranch } from '../src/git/branch.js';
import { findOrphanWorktrees, removeCleanOrphans } from '../src/git/orphans.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

function commitFile(cwd: string, file: string, content: string): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', `edit ${file}`);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** One worktree of every kind under .orchestrator/agents, and one outside it. */
async function fleet() {
  const root = tempRepo({ 'README.md': '# r\n', '.gitignore': '.orchestrator/\nbuild/\n' });
  const managedDir = layoutFor(root).agents;
  const make = async (name: string) =>
    (await createTaskWorktree(root, { path: path.join(managedDir, name, 'wt'), base: 'main' })).path;
  const clean = await make('clean');
  writeFileSync(path.join(clean, '.agent-instructions.md'), 'tickfleet file\n');
  const ignored = await make('ignored');
  mkdirSync(path.join(ignored, 'build'));
  writeFileSync(path.join(ignored, 'build', 'out.js'), 'ignored output\n');
  const dirty = await make('dirty');
  writeFileSync(path.join(dirty, 'draft.txt'), 'unsaved\n');
  const stranded = await make('stranded');
  const strandedHead = commitFile(stranded, 'work.txt', 'committed, no branch\n');
  const branched = await make('branched');
  commitFile(branched, 'kept.txt', 'on a branch\n');
  await ensureBranch(branched, 'agent/TASK-k');
  const busy = await make('busy');
  writeFileSync(path.join(busy, 'in-progress.txt'), 'running\n');
  const outside = (await createTaskWorktree(root, { path: path.join(tempDir(), 'elsewhere'), base: 'main' })).path;
  return {
    root,
    managedDir,
    clean,
    ignored,
    dirty,
    stranded,
    strandedHead,
    branched,
    busy,
    outside,
    inUse: new Set([busy]),
  };
}

describe('findOrphanWorktrees', () => {
  it('reports managed worktrees no run uses, with their uncommitted and unkept work and size', async () => {
    const f = await fleet();
    const orphans = await findOrphanWorktrees(f.root, { managedDir: f.managedDir, inUse: f.inUse });
    const byName = Object.fromEntries(orphans.map((o) => [path.basename(path.dirname(o.path)), o]));
    expect(Object.keys(byName).sort()).toEqual(['branched', 'clean', 'dirty', 'ignored', 'stranded']);
    expect(byName.clean).toMatchObject({ clean: true, unpushed: 0, locked: false, missing: false });
    expect(byName.ignored).toMatchObject({ clean: true, unpushed: 0 });
    expect(byName.dirty).toMatchObject({ clean: false, uncommitted: ['draft.txt'], unpushed: 0 });
    expect(byName.stranded).toMatchObject({ clean: true, unpushed: 1, head: f.strandedHead });
    expect(byName.branched).toMatchObject({ clean: true, unpushed: 0 });
    expect(byName.clean!.bytes).toBeGreaterThan(0);
  });
});

describe('removeCleanOrphans', () => {
  it('removes clean orphans, keeps dirty ones, and saves stranded commits to a branch before removing', async () => {
    const f = await fleet();
    const result = await removeCleanOrphans(f.root, { managedDir: f.managedDir, inUse: f.inUse });

    expect(result.removed.map((p) => path.basename(path.dirname(p))).sort()).toEqual([
      'branched',
      'clean',
      'ignored',
      'stranded',
    ]);
    expect(result.kept).toEqual([{ path: expect.stringMatching(/dirty\/wt$/), reason: 'uncommitted work: draft.txt' }]);
    expect(result.saved).toEqual([
      {
        path: expect.stringMatching(/stranded\/wt$/),
        branch: `tickfleet/saved/wt-${f.strandedHead.slice(0, 8)}`,
        head: f.strandedHead,
      },
    ]);
    expect(git(f.root, 'rev-parse', result.saved[0]!.branch)).toBe(f.strandedHead);
    expect(git(f.root, 'log', '-1', '--format=%s', 'agent/TASK-k')).toBe('edit kept.txt');

    for (const gone of [f.clean, f.ignored, f.stranded, f.branched]) expect(existsSync(gone)).toBe(false);
    for (const kept of [f.dirty, f.busy, f.outside]) expect(existsSync(kept)).toBe(true);
    expect(existsSync(path.join(f.dirty, 'draft.txt'))).toBe(true);
  });

  it('keeps worktrees with stranded commits when asked not to save them', async () => {
    const f = await fleet();
    const result = await removeCleanOrphans(f.root, { managedDir: f.managedDir, inUse: f.inUse, saveUnpushed: false });
    expect(result.saved).toEqual([]);
    expect(result.kept.map((k) => k.reason).sort()).toEqual([
      '1 commit(s) no branch keeps',
      'uncommitted work: draft.txt',
    ]);
    expect(existsSync(f.stranded)).toBe(true);
    expect(git(f.root, 'branch', '--list', 'tickfleet/*')).toBe('');
  });

  it('counts a vanished worktree and saves what only it held', async () => {
    const root = tempRepo();
    const managedDir = layoutFor(root).agents;
    const wt = (await createTaskWorktree(root, { path: path.join(managedDir, 'gone', 'wt'), base: 'main' })).path;
    const head = commitFile(wt, 'x.txt', 'x\n');
    rmSync(wt, { recursive: true, force: true });
    const [orphan] = await findOrphanWorktrees(root, { managedDir, inUse: new Set() });
    expect(orphan).toMatchObject({ missing: true, clean: true, unpushed: 1, bytes: 0 });
    const result = await removeCleanOrphans(root, { managedDir, inUse: new Set() });
    expect(result.saved[0]?.head).toBe(head);
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
  });
});
