import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import { checksDir } from './store.js';

/**
 * Fix rounds. A failed required check becomes one fix task continuing from
 * the branch; its delivery is a new review of the same work. Both ends are
 * recorded, so rounds are counted along the chain and never twice for a head:
 *
 *   checks/<subject>/fix.json    the fix task made for this subject (and the head it fixes)
 *   checks/fixes/<task>.json     which subject a fix task continues, its round, the tasks before it
 */
export interface FixMade {
  task: string;
  head: string;
  round: number;
  at: string;
}

export interface FixOf {
  /** The subject (review) the fix continues. */
  of: string;
  round: number;
  /** The tasks whose work the fixed branch carries, oldest first. */
  origin_tasks: string[];
}

export function readFixMade(layout: Layout, subject: string): Promise<FixMade | undefined> {
  return readJsonIfExists<FixMade>(path.join(checksDir(layout), subject, 'fix.json'));
}

export function readFixOf(layout: Layout, taskId: string): Promise<FixOf | undefined> {
  return readJsonIfExists<FixOf>(path.join(checksDir(layout), 'fixes', `${taskId}.json`));
}

export async function recordFix(layout: Layout, subject: string, made: FixMade, of: FixOf): Promise<void> {
  await writeJsonAtomic(path.join(checksDir(layout), 'fixes', `${made.task}.json`), of);
  await writeJsonAtomic(path.join(checksDir(layout), subject, 'fix.json'), made);
}
