import type { TaskFilter } from '../../tasks/filter.js';
import { LIFECYCLES, type Lifecycle, withLifecycle } from '../../tasks/lifecycle.js';
import { TASK_STATES, type Task } from '../../tasks/task.js';
import type { QueryParam } from '../openapi.js';
import { ProblemError } from '../problem.js';
import { oneOf, text, wholeNumber } from './request.js';

/** `GET /tasks`'s query: the filter `tickfleet tasks` uses, and how many of the newest to return. */
export interface TaskQuery {
  filter: TaskFilter;
  /** 0 = all. */
  limit: number;
}

export const TASK_FILTER_PARAMS: readonly QueryParam[] = [
  { name: 'state', description: `queue folder: ${TASK_STATES.join(', ')}` },
  { name: 'lifecycle', description: `lifecycle: ${LIFECYCLES.join(', ')}` },
  { name: 'role', description: 'task role (implement, test, review, ...)' },
  { name: 'plan', description: 'the plan the tasks came from' },
  { name: 'created_by', description: 'the agent or person that created them' },
  { name: 'parent', description: 'the task they were split from' },
  { name: 'since', description: 'created at or after this ISO time' },
  { name: 'older_than', description: 'created before this ISO time' },
  { name: 'limit', description: 'at most this many, newest first (default 100, 0 = all)' },
];

export function taskQueryOf(q: URLSearchParams): TaskQuery {
  const filter: TaskFilter = {};
  const state = oneOf(q, 'state', TASK_STATES);
  const lifecycle = oneOf(q, 'lifecycle', LIFECYCLES);
  const role = text(q, 'role');
  const plan = text(q, 'plan');
  const createdBy = text(q, 'created_by');
  const parent = text(q, 'parent');
  const since = isoTime(q, 'since');
  const olderThan = isoTime(q, 'older_than');
  if (state) filter.states = [state];
  if (lifecycle) filter.lifecycles = [lifecycle];
  if (role) filter.roles = [role];
  if (plan) filter.plan = plan;
  if (createdBy) filter.creator = createdBy;
  if (parent) filter.parent = parent;
  if (since) filter.since = since;
  if (olderThan) filter.olderThan = olderThan;
  return { filter, limit: wholeNumber(q, 'limit', 100) };
}

function isoTime(q: URLSearchParams, name: string): string | undefined {
  const value = text(q, name);
  if (value !== undefined && Number.isNaN(Date.parse(value)))
    throw new ProblemError(400, `${name} must be an ISO time like 2024-01-15T10:30:00Z, got ${JSON.stringify(value)}`, {
      field: name,
    });
  return value;
}

/**
 * The newest `limit` of the tasks `listTasks` kept (it lists oldest first),
 * each with its lifecycle as `--json` prints tasks.
 */
export function newestFirst(
  tasks: readonly Task[],
  limit: number,
): { tasks: (Task & { lifecycle: Lifecycle })[]; more: boolean } {
  const newest = [...tasks].reverse();
  const shown = limit === 0 ? newest : newest.slice(0, limit);
  return { tasks: shown.map(withLifecycle), more: shown.length < newest.length };
}
