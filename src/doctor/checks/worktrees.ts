import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readAgentState } from '../../agents/state.js';
import { type Layout, spareMakingPath, spareWorktreePath, worktreePathFor } from '../../core/paths.js';
import { findOrphanWorktrees, type OrphanWorktree } from '../../git/orphans.js';
import type { Finding } from '../finding.js';

/**
 * tickfleet worktrees no run uses. An agent's `.spare` checkout is kept on
 * purpose, and a recorded run's worktree and the spare it is making are in use (doctor does not judge
 * whether its runner is alive: the tick does that). A clean orphan is
 * removed by the next tick; one holding work never is, so a person decides.
 */
export async function checkWorktrees(layout: Layout): Promise<Finding[]> {
  const inUse = new Set<string>();
  // Doctor reports and never stops at what it cannot read: no agents folder means no worktree in use.
  const agents = await fs.readdir(layout.agents, { withFileTypes: true }).catch(() => []);
  for (const entry of agents) {
    if (!entry.isDirectory() || entry.name.endsWith('.lock')) continue;
    inUse.add(spareWorktreePath(layout, entry.name));
    // An unreadable state.json names no run; the worktree is then judged like any other.
    const run = (await readAgentState(layout, entry.name).catch(() => undefined))?.running;
    if (run) {
      inUse.add(worktreePathFor(layout, entry.name, run.task_id ?? run.run_id));
      // The spare that run is making, not yet moved into place (reconcile keeps it too).
      inUse.add(spareMakingPath(layout, entry.name, run.run_id));
    }
  }
  let orphans: OrphanWorktree[];
  try {
    orphans = await findOrphanWorktrees(layout.root, { managedDir: layout.agents, inUse });
  } catch (err) {
    return [
      {
        check: 'worktree',
        severity: 'error',
        found: `cannot list worktrees: ${(err as Error).message.split('\n')[0]}`,
        fix: `make ${layout.root} a git repository with at least one commit`,
      },
    ];
  }
  if (orphans.length === 0) return [{ check: 'worktree', severity: 'ok', found: 'no orphan worktrees' }];
  return orphans.map((o) => orphanFinding(layout, o));
}

function orphanFinding(layout: Layout, o: OrphanWorktree): Finding {
  const rel = path.relative(layout.root, o.path);
  const size = mb(o.bytes);
  if (o.missing)
    return {
      check: 'worktree',
      severity: 'ok',
      found: `${rel} is registered but its folder is gone`,
      fix: 'the next tick prunes it (or: git worktree prune)',
    };
  const work: string[] = [];
  if (!o.clean)
    work.push(
      `uncommitted work (${o.uncommitted.slice(0, 5).join(', ')}${o.uncommitted.length > 5 ? `, +${o.uncommitted.length - 5} more` : ''})`,
    );
  if (o.unpushed > 0) work.push(`${o.unpushed} commit(s) no branch keeps`);
  if (o.locked) work.push('a git worktree lock');
  if (work.length === 0)
    return {
      check: 'worktree',
      severity: 'ok',
      found: `orphan worktree ${rel} (${size}) holds no work`,
      fix: 'the next tick removes it',
    };
  return {
    check: 'worktree',
    severity: 'warn',
    found: `orphan worktree ${rel} (${size}), no run uses it, holds ${work.join(' and ')}`,
    fix: `look (git -C ${JSON.stringify(o.path)} status), commit what is worth keeping to a branch, then git worktree remove --force ${JSON.stringify(o.path)}`,
  };
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
