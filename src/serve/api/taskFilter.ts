import { LIFECYCLES, type Lifecycle, withLifecycle } from '../../tasks/lifecycle.js';
import { TASK_STATES, type Task, type TaskState } from '../../tasks/task.js';
import type { QueryParam } from '../openapi.js';
import { oneOf, text, wholeNumber } from './request.js';

export interface TaskFilter {
  state?: TaskState;
  lifecycle?: Lifecycle;
  role?: string;
  plan?: string;
  created_by?: string;
  /** 0 = all. */
  limit: number;
}

export const TASK_FILTER_PARAMS: readonly QueryParam[] = [
  { name: 'state', description: `queue folder: ${TASK_STATES.join(', ')}` },
  { name: 'lifecycle', description: `lifecycle: ${LIFECYCLES.join(', ')}` },
  { name: 'role', description: 'task role (implement, test, review, ...)' },
  { name: 'plan', description: 'the plan the tasks came from' },
  { name: 'created_by', description: 'the agent or person that created them' },
  { name: 'limit', description: 'at most this many, newest first (default 100, 0 = all)' },
];

export function taskFilterOf(q: URLSearchParams): TaskFilter {
  const f: TaskFilter = { limit: wholeNumber(q, 'limit', 100) };
  const state = oneOf(q, 'state', TASK_STATES);
  const lifecycle = oneOf(q, 'lifecycle', LIFECYCLES);
  const role = text(q, 'role');
  const plan = text(q, 'plan');
  const createdBy = text(q, 'created_by');
  if (state) f.state = state;
  if (lifecycle) f.lifecycle = lifecycle;
  if (role) f.role = role;
  if (plan) f.plan = plan;
  if (createdBy) f.created_by = createdBy;
  return f;
}

/** The tasks a filter keeps, each with its lifecycle as `--json` prints tasks, newest first. */
export function filterTasks(
  tasks: readonly Task[],
  f: TaskFilter,
): { tasks: (Task & { lifecycle: Lifecycle })[]; more: boolean } {
  const kept = tasks
    .map(withLifecycle)
    .filter(
      (t) =>
        (f.lifecycle === undefined || t.lifecycle === f.lifecycle) &&
        (f.role === undefined || t.role === f.role) &&
        (f.plan === undefined || t.plan === f.plan) &&
        (f.created_by === undefined || t.created_by === f.created_by),
    )
    .sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
  const shown = f.limit === 0 ? kept : kept.slice(0, f.limit);
  return { tasks: shown, more: shown.length < kept.length };
}
