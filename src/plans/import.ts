import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { COMMAND_TASK_ROLE, commandRefusal } from '../config/commandTasks.js';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError, isMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { enqueueTaskLocked } from '../tasks/enqueue.js';
import { withTaskLock } from '../tasks/store.js';
import type { Task } from '../tasks/task.js';
import { dependencyOrder } from './graph.js';
import { parsePlan, planError } from './parse.js';
import { globalJobId, isQueued, type Plan, type PlanJob } from './plan.js';
import { mayBeOfPlan, readTasksWhere } from './planTasks.js';
import { type JobRecord, listPlans, readPlanRecord, writePlanRecord } from './record.js';

/**
 * What an import did with each job:
 * - `added`: its task was queued now;
 * - `unchanged`: its task exists and the job is as it was made;
 * - `changed`: its task exists but the job was edited since; the task is left as it is (it may be working or
 *   merged already) and the change is reported, never applied;
 * - `deduplicated`: another job with the same dedupe key (this plan or another) has the task, which it shares;
 * - `not_queued`: a checked job (`- [x]`) or a metadata payload: nothing to do, and dependents do not wait.
 */
export type JobOutcome = 'added' | 'unchanged' | 'changed' | 'deduplicated' | 'not_queued';
export const JOB_OUTCOMES: readonly JobOutcome[] = ['added', 'unchanged', 'changed', 'deduplicated', 'not_queued'];

export interface ImportedJob {
  job: string;
  /** `<plan>::<job>` */
  id: string;
  line: number;
  outcome: JobOutcome;
  task?: string;
  kind: PlanJob['kind'];
  role?: string;
  lane: string;
  note?: string;
}

export interface ImportReport {
  plan: string;
  name: string;
  file: string;
  jobs: ImportedJob[];
  /** Jobs that were imported before but are no longer in the plan; their tasks are left as they are. */
  removed: { job: string; task?: string }[];
  counts: Record<JobOutcome, number>;
}

export interface ImportOptions {
  /** Who imports; the tasks' created_by. */
  actor: string;
  /** The task roles the fleet's agents claim; a job of another role is refused. Undefined: not checked (--force). */
  claimedRoles?: readonly string[];
  clock?: Clock;
}

/**
 * `tickfleet plan import`: the plan is read and checked whole (format, ids,
 * dependencies, cycles, allowed commands, claimed roles) before anything is
 * queued; then, under the queue lock, each job without a task gets one, in
 * dependency order, so its `blocked_by` names tasks that exist. Idempotent by
 * plan and job: a job whose task exists (fields `plan`, `plan_job`) is never
 * queued again, so an import cut short by a crash is finished by the next
 * one. Backpressure (queue_limits.max_incoming) does not apply: a plan is a
 * person's decision, and most of its tasks wait for their dependencies.
 */
export async function importPlan(
  layout: Layout,
  config: Config,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const shown = displayPath(layout, file);
  const text = await fs.readFile(file, 'utf8').catch((err: unknown) => {
    if (isMissing(err)) throw new ExitError(`${shown}: no such plan file`);
    throw err;
  });
  const plan = parsePlan(text, shown);
  checkJobs(plan, config, shown, options.claimedRoles);
  const clock = options.clock ?? systemClock;
  return withTaskLock(layout, () => enqueuePlan(layout, config, plan, shown, options.actor, clock));
}

function checkJobs(plan: Plan, config: Config, file: string, claimed: readonly string[] | undefined): void {
  for (const job of plan.jobs.filter(isQueued)) {
    if (job.command !== undefined) {
      const refused = commandRefusal(config, job.command);
      if (refused) throw planError(file, job.line, `${refused}; add it to commands.allow to import this plan`);
    } else if (claimed && job.role !== undefined && job.role !== COMMAND_TASK_ROLE && !claimed.includes(job.role)) {
      const known = claimed.length > 0 ? claimed.join(', ') : 'none';
      throw planError(
        file,
        job.line,
        `no agent in ${path.basename(config.file)} claims ${JSON.stringify(job.role)} tasks (roles agents claim: ${known}); set role= or --force`,
      );
    }
  }
}

async function enqueuePlan(
  layout: Layout,
  config: Config,
  plan: Plan,
  file: string,
  actor: string,
  clock: Clock,
): Promise<ImportReport> {
  const { tasks, ids: taskIds } = readTasksWhere(layout, mayBeOfPlan(plan.slug));
  const existing = new Map<string, Task>();
  for (const t of tasks)
    if (t.plan === plan.slug && t.plan_job && !existing.has(t.plan_job)) existing.set(t.plan_job, t);
  const before = await readPlanRecord(layout, plan.slug);
  const beforeJobs = new Map((before?.jobs ?? []).map((j) => [j.job, j]));
  const shared = await dedupeKeys(layout, plan.slug, taskIds);

  const taskOf = new Map<string, string>();
  const outcomes = new Map<string, ImportedJob>();
  const records = new Map<string, JobRecord>();
  for (const job of dependencyOrder(plan.jobs)) {
    const base = {
      job: job.id,
      id: globalJobId(plan.slug, job.id),
      line: job.line,
      kind: job.kind,
      lane: job.lane,
      ...(job.role !== undefined ? { role: job.role } : {}),
    };
    let outcome: ImportedJob;
    let hash = job.hash;
    const found = existing.get(job.id);
    const sharing = job.dedupe !== undefined ? shared.get(job.dedupe) : undefined;
    if (!isQueued(job)) {
      const note = job.checked ? 'checked in the plan' : `${job.payload.split(':')[0]}: payload, nothing to run`;
      outcome = { ...base, outcome: 'not_queued', note };
    } else if (found) {
      const made = beforeJobs.get(job.id)?.hash;
      // No record of the hash: the task was made by an import cut short, from this same definition.
      if (made === undefined || made === job.hash) outcome = { ...base, outcome: 'unchanged', task: found.id };
      else {
        hash = made;
        outcome = {
          ...base,
          outcome: 'changed',
          task: found.id,
          note: `edited since ${found.id} was made; the task is left as it is (${found.state})`,
        };
      }
    } else if (sharing) {
      outcome = {
        ...base,
        outcome: 'deduplicated',
        task: sharing.task,
        note: `dedupe=${job.dedupe} shared with ${sharing.job}`,
      };
    } else {
      const task = await enqueueTaskLocked(
        layout,
        {
          title: job.title,
          role: job.role!,
          created_by: actor,
          blocked_by: job.deps.flatMap((d) => (taskOf.has(d) ? [taskOf.get(d)!] : [])),
          max_attempts: config.tasks.max_attempts,
          context: context(plan, job, file),
          acceptance: acceptance(job),
          plan: plan.slug,
          plan_job: job.id,
          lane: job.lane,
          ...(job.command !== undefined ? { command: job.command } : {}),
        },
        { clock },
      );
      taskIds.add(task.id);
      outcome = { ...base, outcome: 'added', task: task.id };
    }
    if (outcome.task) {
      taskOf.set(job.id, outcome.task);
      if (job.dedupe !== undefined && !shared.has(job.dedupe))
        shared.set(job.dedupe, { task: outcome.task, job: globalJobId(plan.slug, job.id) });
    }
    outcomes.set(job.id, outcome);
    records.set(job.id, jobRecord(job, hash, outcome.task));
  }

  const inPlan = new Set(plan.jobs.map((j) => j.id));
  const removedJobs = new Set([...beforeJobs.keys(), ...existing.keys()].filter((j) => !inPlan.has(j)));
  const removed = [...removedJobs].sort().map((job) => {
    const task = existing.get(job)?.id ?? beforeJobs.get(job)?.task;
    return task ? { job, task } : { job };
  });
  await writePlanRecord(layout, {
    plan: plan.slug,
    name: plan.name,
    file,
    imported_at: isoSeconds(clock.now()),
    policy: plan.policy,
    jobs: plan.jobs.map((j) => records.get(j.id)!),
  });
  const jobs = plan.jobs.map((j) => outcomes.get(j.id)!);
  const counts = Object.fromEntries(JOB_OUTCOMES.map((o) => [o, 0])) as Record<JobOutcome, number>;
  for (const j of jobs) counts[j.outcome] += 1;
  return { plan: plan.slug, name: plan.name, file, jobs, removed, counts };
}

/** Dedupe keys of the other imported plans whose task still exists. */
async function dedupeKeys(
  layout: Layout,
  slug: string,
  taskIds: ReadonlySet<string>,
): Promise<Map<string, { task: string; job: string }>> {
  const keys = new Map<string, { task: string; job: string }>();
  for (const other of await listPlans(layout)) {
    if (other === slug) continue;
    for (const j of (await readPlanRecord(layout, other))?.jobs ?? []) {
      if (j.dedupe !== undefined && j.task !== undefined && taskIds.has(j.task) && !keys.has(j.dedupe))
        keys.set(j.dedupe, { task: j.task, job: globalJobId(other, j.job) });
    }
  }
  return keys;
}

function jobRecord(job: PlanJob, hash: string, task: string | undefined): JobRecord {
  return {
    job: job.id,
    line: job.line,
    lane: job.lane,
    deps: job.deps,
    payload: job.payload,
    kind: job.kind,
    checked: job.checked,
    ...(job.role !== undefined ? { role: job.role } : {}),
    title: job.title,
    ...(job.dedupe !== undefined ? { dedupe: job.dedupe } : {}),
    hash,
    ...(task !== undefined ? { task } : {}),
  };
}

function context(plan: Plan, job: PlanJob, file: string): string {
  const lines = [
    `Job \`${globalJobId(plan.slug, job.id)}\` of plan "${plan.name}" (${file}:${job.line}), lane ${job.lane}.`,
    `Payload: \`${job.payload}\``,
  ];
  const pointer = /^@file:([^#]+)/.exec(job.payload);
  if (pointer) lines.push(`The work is described in \`${pointer[1]}\` in the repository: read it first.`);
  if (job.deps.length > 0) lines.push(`It comes after: ${job.deps.join(', ')}.`);
  const policy = Object.entries(plan.policy).map(([k, v]) => `${k}=${v}`);
  if (policy.length > 0) lines.push(`Plan policy: ${policy.join(', ')}.`);
  return lines.join('\n');
}

function acceptance(job: PlanJob): string[] {
  if (job.command !== undefined) return [`\`${job.command}\` exits 0`];
  if (/#apply\b/.test(job.payload)) return ['the change the file describes is applied'];
  if (/#test\b/.test(job.payload)) return ['the tests the file describes pass'];
  return [];
}

function displayPath(layout: Layout, file: string): string {
  const rel = path.relative(layout.root, path.resolve(file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
}
