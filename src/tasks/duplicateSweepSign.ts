import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { taskQueue } from './folders.js';
import { folderStamp, RACY_MS, stampMs } from './queueIndex/stamp.js';
import type { TaskState } from './task.js';

/**
 * The folders' stamps when the duplicate sweep last found no task id in two
 * folders. A duplicate needs an entry added to a folder, and every entry
 * added, removed or renamed changes its folder's stamp (inode and mtime in
 * ns, queueIndex/stamp.ts); so while every folder still has the stamp it
 * had before that sweep listed it, no folder has gained a file since and
 * there is still no duplicate: an idle tick skips listing some thousands of
 * files in done/. A stamp is trusted by the queue index's rule: only when it
 * was taken RACY_MS after the change it records, so a coarse clock cannot
 * hide a second change in the same tick. Kept in `queue/.duplicates-swept`;
 * a missing, damaged or other-shaped file means a sweep. Caller holds the
 * queue lock.
 */
export interface SweepSign {
  stamps: Record<string, string>;
  /** When the stamps were taken (ms). */
  at: number;
}

export function sweepSignFile(layout: Layout): string {
  return path.join(layout.queue, '.duplicates-swept');
}

/** Every folder's stamp now, taken before the sweep lists them. */
export function takeSweepSign(layout: Layout, states: readonly TaskState[]): SweepSign {
  const q = taskQueue(layout);
  const stamps: Record<string, string> = {};
  for (const s of states) stamps[s] = folderStamp(q.dir(s));
  return { stamps, at: Date.now() };
}

/** Whether `now` (just taken) matches the last sweep that found nothing, by a sign old enough to trust. */
export function sweptClean(layout: Layout, now: SweepSign): boolean {
  let saved: Partial<SweepSign>;
  try {
    saved = JSON.parse(readFileSync(sweepSignFile(layout), 'utf8')) as Partial<SweepSign>;
  } catch {
    return false;
  }
  if (saved === null || typeof saved !== 'object' || typeof saved.at !== 'number') return false;
  const stamps = saved.stamps;
  if (stamps === null || typeof stamps !== 'object') return false;
  return Object.entries(now.stamps).every(([s, stamp]) => stamps[s] === stamp && settled(stamp, saved.at!));
}

/** Record a sweep that found no duplicate, when its stamps can be trusted later; else forget any earlier one. */
export function recordCleanSweep(layout: Layout, sign: SweepSign): void {
  const file = sweepSignFile(layout);
  if (!Object.values(sign.stamps).every((stamp) => settled(stamp, sign.at))) {
    rmSync(file, { force: true });
    return;
  }
  // Written whole then renamed: a reader sees the old sign or the new one. A torn file after a crash is only a sweep.
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(sign));
    renameSync(tmp, file);
  } catch {
    // Only a shortcut: a sign that cannot be kept means the next sweep lists the folders.
    rmSync(tmp, { force: true });
  }
}

function settled(stamp: string, at: number): boolean {
  return stamp === '-' || at - stampMs(stamp) >= RACY_MS;
}
