import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LOCK_STALE_MS } from '../../core/lock.js';
import type { Layout } from '../../core/paths.js';
import { inspectTokenDir, refreshedAt } from '../../core/tokenLockDir.js';
import { TICK_LOCK_STALE_MS } from '../../scheduler/tickLock.js';
import { ago } from '../../status/ago.js';
import type { Finding } from '../finding.js';

/** acquireLock's default stale time (core/lock.ts): every lock but the tick's uses it. */

/**
 * Lock directories (`<target>.lock`, core/lock.ts and core/tokenLock.ts) whose holder is gone.
 * A holder refreshes the directory's mtime every half stale time, so one not
 * refreshed for longer than its stale time was left by a killed process:
 * exactly the lock's own rule (core/lockHolder.ts). The next taker takes such a lock over,
 * so it blocks little; it is still worth knowing something was killed.
 * Locks live beside what they guard: .orchestrator/ (tick, fleet.json),
 * locks/ (queues, messages, merges, agents.yaml), agents/ and agents/<name>/.
 */
export async function checkLocks(layout: Layout, now: Date): Promise<Finding[]> {
  const dirs = [layout.dir, layout.locks, layout.agents, ...(await subdirs(layout.agents))];
  const findings: Finding[] = [];
  for (const dir of dirs) {
    for (const name of await names(dir)) {
      if (!name.endsWith('.lock')) continue;
      const lock = path.join(dir, name);
      const stat = await fs.stat(lock).catch(() => undefined); // released while we looked
      if (!stat?.isDirectory()) continue;
      const staleMs = lock === layout.schedulerLock ? TICK_LOCK_STALE_MS : DEFAULT_LOCK_STALE_MS;
      // A token lock (core/tokenLock.ts) keeps its folder: free while it holds `token`, else judged by its hold's file.
      const token = await tokenState(lock);
      if (token === 'free') continue;
      const refreshed = new Date(token ? refreshedAt(token) : stat.mtimeMs);
      const age = now.getTime() - refreshed.getTime();
      if (age <= staleMs) continue;
      const rel = path.relative(layout.root, lock);
      findings.push({
        check: 'lock',
        severity: 'warn',
        found: `stale lock ${rel}: not refreshed for ${ago(refreshed, now)} (stale after ${staleMs / 1000}s), so the process holding it was killed`,
        fix: `nothing holds it; the next taker takes it over, or remove it now: rm -r ${JSON.stringify(lock)}`,
      });
    }
  }
  if (findings.length === 0) findings.push({ check: 'lock', severity: 'ok', found: 'no stale locks' });
  return findings;
}

/** 'free' for a token lock's folder holding its token, its hold's file for one held, undefined for a mkdir lock. */
async function tokenState(lock: string): Promise<'free' | { mtimeMs: number; ctimeMs: number } | undefined> {
  const state = inspectTokenDir(lock);
  if (state.kind === 'free') return 'free';
  if (state.kind !== 'held') return undefined;
  return (await fs.stat(path.join(lock, state.name)).catch(() => undefined)) ?? 'free'; // released while we looked
}

async function names(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    // No folder, no locks in it; doctor reports what it finds and does not stop at a folder it cannot list.
    return [];
  }
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []); // as names() above
  return entries.filter((e) => e.isDirectory() && !e.name.endsWith('.lock')).map((e) => path.join(dir, e.name));
}
