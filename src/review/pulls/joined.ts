import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ignoreMissing } from '../../core/errors.js';
import type { Layout } from '../../core/paths.js';
import { branchSlug } from '../../tasks/branch.js';

/**
 * Tasks whose work was pushed onto another task's PR branch (a fix for that
 * PR, run/deliverBranch.ts): their change lands when that PR merges, so the
 * merge moves them to merged too. One empty file per task,
 * `.orchestrator/pr-joined/<branch slug>/<task>`, so two fixes delivered at
 * once never overwrite each other's record. Kept when a PR is closed
 * unmerged: the branch's rework carries the same commits into its next PR.
 */
function joinedDir(layout: Layout, branch: string): string {
  return path.join(layout.dir, 'pr-joined', branchSlug(branch));
}

export async function recordJoined(layout: Layout, branch: string, taskId: string): Promise<void> {
  await fs.mkdir(joinedDir(layout, branch), { recursive: true });
  await fs.writeFile(path.join(joinedDir(layout, branch), taskId), '');
}

export async function readJoined(layout: Layout, branch: string): Promise<string[]> {
  return (await fs.readdir(joinedDir(layout, branch)).catch(ignoreMissing)) ?? [];
}

export async function clearJoined(layout: Layout, branch: string, taskIds: readonly string[]): Promise<void> {
  for (const id of taskIds) await fs.rm(path.join(joinedDir(layout, branch), id), { force: true });
  await fs.rmdir(joinedDir(layout, branch)).catch(() => undefined);
}
