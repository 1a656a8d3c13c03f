import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { findOrphanWorktrees } from '../src/git/orphans.js';
import { canonicalPath } from '../src/git/paths.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { listWorktrees, registeredWorktreePaths } from '../src/git/worktreeList.js';
import { tempDir, tempRepo } from './helpers/tmp.js';

describe('registeredWorktreePaths', () => {
  it('reads the same linked worktrees git lists, a vanished one included', async () => {
    const root = tempRepo({ 'README.md': '# r\n' });
    expect(registeredWorktreePaths(root)).toEqual([]);
    const managed = layoutFor(root).agents;
    const a = (await createTaskWorktree(root, { path: path.join(managed, 'a', 'wt'), base: 'main' })).path;
    const b = (await createTaskWorktree(root, { path: path.join(tempDir(), 'b'), base: 'main' })).path;
    rmSync(b, { recursive: true, force: true });
    const fromGit = (await listWorktrees(root)).slice(1).map((e) => canonicalPath(e.path));
    expect(registeredWorktreePaths(root)!.map(canonicalPath).sort()).toEqual(fromGit.sort());
    expect(fromGit).toEqual(expect.arrayContaining([canonicalPath(a), canonicalPath(b)]));
  });

  it('declines, so that git is asked, where .git is not a plain directory', async () => {
    const root = tempRepo({ 'README.md': '# r\n' });
    const linked = (await createTaskWorktree(root, { path: path.join(tempDir(), 'linked'), base: 'main' })).path;
    expect(registeredWorktreePaths(linked)).toBeUndefined(); // .git is a file there
    writeFileSync(path.join(root, '.git', 'worktrees', path.basename(linked), 'gitdir'), 'not/absolute\n');
    expect(registeredWorktreePaths(root)).toBeUndefined();
  });

  it('lets the orphan scan skip git only when no managed worktree could be an orphan', async () => {
    const root = tempRepo({ 'README.md': '# r\n', '.gitignore': '.orchestrator/\n' });
    const managedDir = layoutFor(root).agents;
    const busy = (await createTaskWorktree(root, { path: path.join(managedDir, 'x', 'busy'), base: 'main' })).path;
    expect(await findOrphanWorktrees(root, { managedDir, inUse: new Set([busy]) })).toEqual([]);
    const idle = (await createTaskWorktree(root, { path: path.join(managedDir, 'x', 'idle'), base: 'main' })).path;
    const orphans = await findOrphanWorktrees(root, { managedDir, inUse: new Set([busy]) });
    expect(orphans.map((o) => canonicalPath(o.path))).toEqual([canonicalPath(idle)]);
  });
});
