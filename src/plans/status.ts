import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { LIFECYCLES, type Lifecycle, releasesDependents, taskLifecycle } from '../tasks/lifecycle.js';
import { findTask } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { globalJobId, planSlug } from './plan.js';
import { mayBeOfPlan, mayHaveParent, readTasksWhere } from './planTasks.js';
import { type JobRecord, listPlans, type PlanRecord, readPlanRecord } from './record.js';

/** A job's state: its task's lifecycle, `not_queued` (checked or metadata), or `missing` (its task was removed by hand). */
export type JobState = Lifecycle | 'not_queued' | 'missing';

export interface Blocker {
  /** The plan job of the blocking task, when it is one of this plan's. */
  job?: string;
  task: string;
  lifecycle: JobState;
}

export interface TaskNode {
  task: string;
  title: string;
  lifecycle: Lifecycle;
  children: TaskNode[];
}

export interface JobStatus {
  job: string;
  id: string;
  line: number;
  lane: string;
  kind: JobRecord['kind'];
  role?: string;
  title: string;
  deps: string[];
  task?: string;
  lifecycle: JobState;
  /** What it waits for: blockers of its task that have not released it (merged or finished). */
  blocked_by: Blocker[];
  /** Tasks split from its task (`parent`), and theirs. */
  children: TaskNode[];
}

export interface PlanStatus {
  plan: string;
  name: string;
  file: string;
  imported_at: string;
  counts: Partial<Record<JobState, number>>;
  jobs: JobStatus[];
}

/**
 * `tickfleet plan status`: the plan's jobs as last imported, each with its
 * task's lifecycle now, what still blocks it, and the tree of tasks split
 * from it. `ref` is the plan's slug, its name, or the path of its file.
 */
export async function planStatus(layout: Layout, ref: string): Promise<PlanStatus> {
  const record = await findRecord(layout, ref);
  const ofPlan = mayBeOfPlan(record.plan);
  const { tasks, ids } = readTasksWhere(layout, (text) => ofPlan(text) || mayHaveParent(text));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  // A blocker from outside the plan (a task edited by hand): read on its own.
  for (const t of [...tasks])
    for (const id of t.blocked_by) if (!byId.has(id) && ids.has(id)) byId.set(id, await findTask(layout, id));
  const jobOfTask = new Map(record.jobs.flatMap((j) => (j.task ? [[j.task, j.job] as const] : [])));
  const children = new Map<string, Task[]>();
  for (const t of tasks) if (t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t]);
  const tree = (id: string, seen: Set<string>): TaskNode[] =>
    (children.get(id) ?? [])
      .filter((c) => !seen.has(c.id))
      .map((c) => ({
        task: c.id,
        title: c.title,
        lifecycle: taskLifecycle(c),
        children: tree(c.id, new Set([...seen, c.id])),
      }));
  const stateOf = (id: string): JobState => {
    const t = byId.get(id);
    return t ? taskLifecycle(t) : 'missing';
  };

  const jobs = record.jobs.map((j): JobStatus => {
    const task = j.task ? byId.get(j.task) : undefined;
    const lifecycle: JobState = j.task === undefined ? 'not_queued' : stateOf(j.task);
    const blocked_by = (task?.blocked_by ?? [])
      .map((id): Blocker => {
        const job = jobOfTask.get(id);
        return { ...(job ? { job } : {}), task: id, lifecycle: stateOf(id) };
      })
      .filter((b) => !(b.lifecycle !== 'not_queued' && b.lifecycle !== 'missing' && releasesDependents(b.lifecycle)));
    return {
      job: j.job,
      id: globalJobId(record.plan, j.job),
      line: j.line,
      lane: j.lane,
      kind: j.kind,
      ...(j.role !== undefined ? { role: j.role } : {}),
      title: j.title,
      deps: j.deps,
      ...(j.task !== undefined ? { task: j.task } : {}),
      lifecycle,
      blocked_by,
      children: j.task ? tree(j.task, new Set([j.task])) : [],
    };
  });
  const counts: Partial<Record<JobState, number>> = {};
  for (const j of jobs) counts[j.lifecycle] = (counts[j.lifecycle] ?? 0) + 1;
  return { plan: record.plan, name: record.name, file: record.file, imported_at: record.imported_at, counts, jobs };
}

async function findRecord(layout: Layout, ref: string): Promise<PlanRecord> {
  const slugs = await listPlans(layout);
  for (const slug of [ref, planSlug(ref)]) {
    const record = slugs.includes(slug) ? await readPlanRecord(layout, slug) : undefined;
    if (record) return record;
  }
  for (const slug of slugs) {
    const record = await readPlanRecord(layout, slug);
    if (record && (record.file === ref || record.name === ref)) return record;
  }
  const known = slugs.length > 0 ? `plans: ${slugs.join(', ')}` : 'no plan is imported yet';
  throw new ExitError(`no plan ${JSON.stringify(ref)} (${known}); \`tickfleet plan import <file.md>\` imports one`);
}

/** The order states are listed in: a task's lifecycle order, then the two a job without a task has. */
export const JOB_STATES: readonly JobState[] = [...LIFECYCLES, 'not_queued', 'missing'];
