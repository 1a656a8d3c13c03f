import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import { TASK_STATES, type TaskState } from '../../core/paths.js';
import { parseSince } from '../../ledger/query.js';
import type { TaskFilter } from '../../tasks/filter.js';
import { LIFECYCLES, type Lifecycle } from '../../tasks/lifecycle.js';
import { print, printJson, table } from '../output.js';
import { initialisedLayout } from '../project.js';

interface TasksOpts {
  state?: string;
  lifecycle?: string;
  role?: string;
  plan?: string;
  creator?: string;
  parent?: string;
  since?: string;
  olderThan?: string;
  json?: boolean;
}

/** `tickfleet tasks` (a filtered listing) and `tickfleet feedback` (a person's note for the next attempt). */
export function register(program: Command): void {
  program
    .command('tasks')
    .description(
      'list tasks, oldest first, with their lifecycle; the filters combine (comma-separated lists match any)',
    )
    .option('--state <states>', `queue folders: ${TASK_STATES.join(', ')}`)
    .option('--lifecycle <lifecycles>', `lifecycles: ${LIFECYCLES.join(', ')}`)
    .option('--role <roles>', 'task roles (implement, test, review, ...)')
    .option('--plan <plan>', 'only tasks of this plan')
    .option('--creator <name>', 'only tasks created by this agent or person')
    .option('--parent <task-id>', 'only the children of this split task')
    .option('--since <when>', 'created since: a date, an ISO time or an age (90m, 24h, 7d)')
    .option('--older-than <age>', 'created before: a date, an ISO time or an age (90m, 24h, 7d)')
    .option('--json', 'machine-readable output')
    .action(async (opts: TasksOpts, cmd: Command) => {
      const filter = tasksFilter(opts, new Date());
      const { listTasks } = await import('../../tasks/list.js');
      const { lifecycleLabel, taskLifecycle, withLifecycle } = await import('../../tasks/lifecycle.js');
      const { tasks } = await listTasks(initialisedLayout(cmd), filter);
      if (opts.json) return printJson(tasks.map(withLifecycle));
      if (tasks.length === 0) return print('no tasks match');
      print(
        table([
          ['ID', 'LIFECYCLE', 'ROLE', 'PRIO', 'CREATED', 'BY', 'TITLE'],
          ...tasks.map((t) => [
            t.id,
            lifecycleLabel(taskLifecycle(t)),
            t.role,
            t.priority,
            t.created.slice(0, 16).replace('T', ' ') || '-',
            t.created_by ?? '-',
            t.title,
          ]),
        ]),
      );
      print(`${tasks.length} task${tasks.length === 1 ? '' : 's'}`);
    });

  program
    .command('feedback')
    .description(
      "attach a person's feedback to a task (under ## Feedback in its file); the next attempt's instructions carry it",
    )
    .argument('<task-id>', 'TASK-xxxxxxxx')
    .argument('<text...>', 'the feedback (quote it, or give several words)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, words: string[], opts: { json?: boolean }, cmd: Command) => {
      const { addFeedback } = await import('../../tasks/feedback.js');
      const { withLifecycle } = await import('../../tasks/lifecycle.js');
      const task = await addFeedback(initialisedLayout(cmd), id, words.join(' '), currentActor().name);
      if (opts.json) return printJson(withLifecycle(task));
      print(`feedback added to ${task.id} (${task.state}/): ${task.title}`);
    });
}

/** The command line's filter, checked: an unknown state or lifecycle, or an unreadable age, is a usage error. */
export function tasksFilter(opts: TasksOpts, now: Date): TaskFilter {
  const list = (v: string | undefined) =>
    v === undefined
      ? undefined
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const states = list(opts.state);
  for (const s of states ?? [])
    if (!(TASK_STATES as readonly string[]).includes(s))
      throw new UsageError(`--state: ${s} is not a queue folder; one of ${TASK_STATES.join(', ')}`);
  const lifecycles = list(opts.lifecycle)?.map((l) => l.replace(/ /g, '_'));
  for (const l of lifecycles ?? [])
    if (!(LIFECYCLES as readonly string[]).includes(l))
      throw new UsageError(`--lifecycle: ${l} is not a lifecycle; one of ${LIFECYCLES.join(', ')}`);
  const roles = list(opts.role);
  return {
    ...(states ? { states: states as TaskState[] } : {}),
    ...(lifecycles ? { lifecycles: lifecycles as Lifecycle[] } : {}),
    ...(roles ? { roles } : {}),
    ...(opts.plan === undefined ? {} : { plan: opts.plan }),
    ...(opts.creator === undefined ? {} : { creator: opts.creator }),
    ...(opts.parent === undefined ? {} : { parent: opts.parent }),
    ...(opts.since === undefined ? {} : { since: when('--since', opts.since, now) }),
    ...(opts.olderThan === undefined ? {} : { olderThan: when('--older-than', opts.olderThan, now) }),
  };
}

function when(flag: string, value: string, now: Date): string {
  const at = parseSince(value, now);
  if (!at)
    throw new UsageError(
      `${flag}: expected a date (2026-01-01), an ISO time or an age (90m, 24h, 7d, 2w), got "${value}"`,
    );
  return at.toISOString();
}
