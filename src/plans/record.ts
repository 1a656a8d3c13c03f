import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { ignoreMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { JobKind } from './plan.js';

/**
 * What tickfleet remembers of an imported plan, in
 * `.orchestrator/shared/plans/<slug>.json`: its jobs as last imported and the
 * task each became. The tasks themselves (fields `plan`, `plan_job`) say which
 * jobs are queued; this record adds what they cannot: the jobs that queue
 * nothing, the hash a job's task was made from, the dependencies by job id.
 */
export interface PlanRecord {
  plan: string;
  name: string;
  /** The file last imported, relative to the project's root when inside it. */
  file: string;
  imported_at: string;
  policy: Record<string, string>;
  jobs: JobRecord[];
}

export interface JobRecord {
  job: string;
  line: number;
  lane: string;
  deps: string[];
  payload: string;
  kind: JobKind;
  checked: boolean;
  role?: string;
  title: string;
  dedupe?: string;
  /** The hash of the definition its task was made from (kept when the plan's job changes later). */
  hash: string;
  task?: string;
}

export function plansDir(layout: Layout): string {
  return path.join(layout.shared, 'plans');
}

export function planRecordFile(layout: Layout, slug: string): string {
  return path.join(plansDir(layout), `${slug}.json`);
}

export function readPlanRecord(layout: Layout, slug: string): Promise<PlanRecord | undefined> {
  return readJsonIfExists<PlanRecord>(planRecordFile(layout, slug));
}

export function writePlanRecord(layout: Layout, record: PlanRecord): Promise<void> {
  return writeJsonAtomic(planRecordFile(layout, record.plan), record);
}

/** The slugs of every imported plan, sorted. */
export async function listPlans(layout: Layout): Promise<string[]> {
  const names = (await fs.readdir(plansDir(layout)).catch(ignoreMissing)) ?? [];
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -'.json'.length))
    .sort();
}
