import { type Lifecycle, taskLifecycle } from './lifecycle.js';
import type { Task, TaskState } from './task.js';

/**
 * Which tasks a listing keeps (`tickfleet tasks`, the HTTP API). Every field is
 * optional and they combine with AND; a list field keeps a task matching any
 * of its values. Plain data, so a JSON request body can be one.
 */
export interface TaskFilter {
  /** Queue folders: incoming, claimed, done, failed. */
  states?: readonly TaskState[];
  /** Lifecycles (tasks/lifecycle.ts): queued, in_review, merged, failed, ... */
  lifecycles?: readonly Lifecycle[];
  /** Task roles: implement, test, review, ... */
  roles?: readonly string[];
  /** The plan a task was imported from. */
  plan?: string;
  /** Who created it (`created_by`): an agent's name or a person's. */
  creator?: string;
  /** The task it was split from. */
  parent?: string;
  /** Created at or after this ISO time. */
  since?: string;
  /** Created before this ISO time. */
  olderThan?: string;
}

export function matchesFilter(task: Task, filter: TaskFilter): boolean {
  if (filter.lifecycles?.length && !filter.lifecycles.includes(taskLifecycle(task))) return false;
  if (filter.roles?.length && !filter.roles.includes(task.role)) return false;
  if (filter.plan !== undefined && task.plan !== filter.plan) return false;
  if (filter.creator !== undefined && task.created_by !== filter.creator) return false;
  if (filter.parent !== undefined && task.parent !== filter.parent) return false;
  // A hand-written file without `created` sorts as oldest: it is never "since", always "older than".
  const created = task.created ? Date.parse(task.created) : Number.NEGATIVE_INFINITY;
  if (filter.since !== undefined && !(created >= Date.parse(filter.since))) return false;
  if (filter.olderThan !== undefined && !(created < Date.parse(filter.olderThan))) return false;
  return true;
}

/** Oldest first, then by id: the order a listing prints. */
export function byCreation(a: Task, b: Task): number {
  return a.created.localeCompare(b.created) || a.id.localeCompare(b.id);
}
