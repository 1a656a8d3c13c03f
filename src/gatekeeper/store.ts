import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { ignoreMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { CheckVerdict } from './verdict.js';

/**
 * The verdict store: `.orchestrator/checks/<subject>/<head>/<check>.json`,
 * one file per check and commit, written atomically. The subject names the
 * delivered branch: a local review's id (`REV-<task>`), or a branch's slug.
 * Keyed by head, so a verdict for an older commit stays on disk and is simply
 * never read for the newer one. Readers outside this folder (the github back
 * end publishing commit statuses) need only `readVerdicts`.
 */
export function checksDir(layout: Layout): string {
  return path.join(layout.dir, 'checks');
}

/** A branch's subject (its slug), as the store and the github back end's publishing name it. */
export { branchSlug } from '../tasks/branch.js';

export function headDir(layout: Layout, subject: string, head: string): string {
  return path.join(checksDir(layout), subject, head);
}

export function checkLogFile(layout: Layout, subject: string, head: string, check: string): string {
  return path.join(headDir(layout, subject, head), `${check}.log`);
}

export function readVerdict(
  layout: Layout,
  subject: string,
  head: string,
  check: string,
): Promise<CheckVerdict | undefined> {
  return readJsonIfExists<CheckVerdict>(path.join(headDir(layout, subject, head), `${check}.json`));
}

/** Every verdict recorded for this head, by check name. */
export async function readVerdicts(
  layout: Layout,
  subject: string,
  head: string,
): Promise<Record<string, CheckVerdict>> {
  const names = (await fs.readdir(headDir(layout, subject, head)).catch(ignoreMissing)) ?? [];
  const out: Record<string, CheckVerdict> = {};
  for (const name of names) {
    if (!name.endsWith('.json') || name.endsWith('.running.json')) continue;
    const verdict = await readJsonIfExists<CheckVerdict>(path.join(headDir(layout, subject, head), name));
    if (verdict) out[verdict.check] = verdict;
  }
  return out;
}

/** Record a verdict. A head is checked once: an existing verdict for the same check and head is kept, and false says so. */
export async function writeVerdict(layout: Layout, subject: string, verdict: CheckVerdict): Promise<boolean> {
  if (await readVerdict(layout, subject, verdict.head, verdict.check)) return false;
  await writeJsonAtomic(path.join(headDir(layout, subject, verdict.head), `${verdict.check}.json`), verdict);
  await clearInFlight(layout, subject, verdict.head, verdict.check);
  return true;
}

/** A check that has been started and has no verdict yet: a detached command (its process), or a check task in the queue. */
export type InFlight =
  | { kind: 'command'; pid: number; pid_start: string; started_at: string; attempts: number }
  | { kind: 'task'; task: string; started_at: string };

function inFlightFile(layout: Layout, subject: string, head: string, check: string): string {
  return path.join(headDir(layout, subject, head), `${check}.running.json`);
}

export function readInFlight(
  layout: Layout,
  subject: string,
  head: string,
  check: string,
): Promise<InFlight | undefined> {
  return readJsonIfExists<InFlight>(inFlightFile(layout, subject, head, check));
}

export function writeInFlight(
  layout: Layout,
  subject: string,
  head: string,
  check: string,
  value: InFlight,
): Promise<void> {
  return writeJsonAtomic(inFlightFile(layout, subject, head, check), value);
}

export async function clearInFlight(layout: Layout, subject: string, head: string, check: string): Promise<void> {
  await fs.rm(inFlightFile(layout, subject, head, check), { force: true });
}
