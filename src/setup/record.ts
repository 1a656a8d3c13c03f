import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import { isPlainObject } from '../core/plainData.js';
import { type InstalledTick, isSchedulerKind, type SchedulerKind } from './plan.js';

/**
 * `.orchestrator/setup.json` remembers which scheduler runs the tick, so
 * `doctor` and `status` can tell an installed fleet from one nobody ticks,
 * without reading crontabs or asking launchd.
 */
interface SetupRecord {
  ticks: InstalledTick[];
}

export function setupRecordFile(layout: Layout): string {
  return path.join(layout.dir, 'setup.json');
}

/** Every scheduler the tick is installed in (normally one), oldest install first. */
export async function readInstalledTicks(layout: Layout): Promise<InstalledTick[]> {
  const record = await readJsonIfExists<unknown>(setupRecordFile(layout));
  if (!isPlainObject(record) || !Array.isArray(record.ticks)) return [];
  return (record.ticks as unknown[])
    .filter(
      (t): t is InstalledTick =>
        isPlainObject(t) && typeof t.kind === 'string' && isSchedulerKind(t.kind) && typeof t.installed_at === 'string',
    )
    .sort((a, b) => a.installed_at.localeCompare(b.installed_at));
}

/** The tick's most recent install, or undefined when `tickfleet setup` never installed one. */
export async function readInstalledTick(layout: Layout): Promise<InstalledTick | undefined> {
  return (await readInstalledTicks(layout)).at(-1);
}

/**
 * Record an install. An entry that says the same (apart from the time) is
 * left as it is, so an unchanged install rewrites nothing. Returns whether
 * the file was written.
 */
export async function recordInstalled(layout: Layout, tick: InstalledTick): Promise<boolean> {
  const ticks = await readInstalledTicks(layout);
  const current = ticks.find((t) => t.kind === tick.kind);
  if (current && sameApartFromTime(current, tick)) return false;
  await write(layout, [...ticks.filter((t) => t.kind !== tick.kind), tick]);
  return true;
}

export async function forgetInstalled(layout: Layout, kind: SchedulerKind): Promise<boolean> {
  const ticks = await readInstalledTicks(layout);
  if (!ticks.some((t) => t.kind === kind)) return false;
  await write(
    layout,
    ticks.filter((t) => t.kind !== kind),
  );
  return true;
}

async function write(layout: Layout, ticks: InstalledTick[]): Promise<void> {
  const record: SetupRecord = { ticks };
  await writeJsonAtomic(setupRecordFile(layout), record);
}

function sameApartFromTime(a: InstalledTick, b: InstalledTick): boolean {
  return JSON.stringify({ ...a, installed_at: '' }) === JSON.stringify({ ...b, installed_at: '' });
}
