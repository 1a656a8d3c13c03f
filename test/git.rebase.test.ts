import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBranch } from '../src/git/branch.js';
import { rebaseOnto } from '../src/git/rebase.js';
import { createTaskWorktree } from '../src/git/worktree.js';
import { git, tempRepo } from './helpers/tmp.js';

function commitFile(cwd: string, file: string, content: string): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', `edit ${file}`);
  return git(cwd, 'rev-parse', 'HEAD');
}

async function branchOffMain(file: string, content: string) {
  const root = tempRepo({ 'shared.txt': 'line\n' });
  const wt = await createTaskWorktree(root, { path: path.join(root, '.orchestrator/agents/a/wt'), base: 'main' });
  const work = commitFile(wt.path, file, content);
  await ensureBranch(wt.path, 'agent/TASK-1');
  return { root, wt: wt.path, work };
}

describe('rebaseOnto', () => {
  it('replays the work on the new base', async () => {
    const { root, wt } = await branchOffMain('feature.txt', 'feature\n');
    const base = commitFile(root, 'other.txt', 'other\n');
    const r = await rebaseOnto(wt, { onto: 'main' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(git(wt, 'rev-parse', `${r.head}~1`)).toBe(base);
    expect(git(wt, 'log', '-1', '--format=%s', r.head)).toBe('edit feature.txt');
  });

  it('on a conflict aborts, lists the paths, and leaves HEAD and the branch exactly as they were', async () => {
    const { root, wt, work } = await branchOffMain('shared.txt', 'agent version\n');
    commitFile(root, 'shared.txt', 'human version\n');
    const r = await rebaseOnto(wt, { onto: 'main' });
    expect(r).toMatchObject({ ok: false, reason: 'conflict', conflicts: ['shared.txt'], head: work });
    if (r.ok) return;
    expect(r.message).toMatch(/conflicts in shared\.txt.*rebase aborted/);
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(work);
    expect(git(root, 'rev-parse', 'agent/TASK-1')).toBe(work);
    expect(git(wt, 'status', '--porcelain')).toBe('');
    expect(existsSync(git(wt, 'rev-parse', '--git-path', 'rebase-merge'))).toBe(false);
  });

  it('refuses to start over uncommitted changes', async () => {
    const { root, wt, work } = await branchOffMain('feature.txt', 'feature\n');
    commitFile(root, 'other.txt', 'other\n');
    writeFileSync(path.join(wt, 'feature.txt'), 'edited, not committed\n');
    const r = await rebaseOnto(wt, { onto: 'main' });
    expect(r).toMatchObject({ ok: false, reason: 'dirty', conflicts: [], head: work });
    expect(git(wt, 'status', '--porcelain')).toBe('M feature.txt');
  });
});
