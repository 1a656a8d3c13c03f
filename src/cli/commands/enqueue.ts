import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import { PRIORITIES, type Priority } from '../../tasks/priority.js';
import { print, printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

interface EnqueueOpts {
  role?: string;
  command?: string;
  lane?: string;
  priority?: string;
  context?: string;
  criteria?: string[];
  blockedBy?: string[];
  expedite?: boolean;
  skipPr?: boolean;
  branch?: string;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command('enqueue')
    .description('create a task in incoming/ (the only way into the queue, for people and agents)')
    .argument('<title>', 'one-line title')
    .option('--role <role>', 'task role that claims it: implement, test, review, ... (required without --command)')
    .option('--command <command>', 'a command task: tickfleet runs this command (from commands.allow) itself, no model')
    .option('--lane <lane>', 'only agents whose lanes include this one claim the task')
    .option('--priority <P>', `one of ${PRIORITIES.join(', ')} (default P2)`)
    .option('--context <text>', 'background: why, and which files')
    .option('--criteria <text>', 'an acceptance criterion (repeat for more)', collect)
    .option('--blocked-by <TASK-id>', 'a task that must be done first (repeat for more)', collect)
    .option('--expedite', 'claim before any other priority')
    .option('--skip-pr', 'merge straight into the base after the tests pass, without a PR')
    .option('--branch <base>', 'base branch (default: review.base_branch)')
    .option('--force', 'go past queue_limits.max_incoming, or queue a role no agent claims yet (people only)')
    .option('--json', 'machine-readable output')
    .action(async (title: string, opts: EnqueueOpts, cmd: Command) => {
      if (opts.priority !== undefined && !PRIORITIES.includes(opts.priority as Priority)) {
        throw new UsageError(`--priority must be one of ${PRIORITIES.join(', ')}, got ${opts.priority}`);
      }
      if (opts.role === undefined && opts.command === undefined)
        throw new UsageError('give --role <role> (implement, test, review, ...) or --command <command>');
      const { COMMAND_TASK_ROLE } = await import('../../config/commandTasks.js');
      const { enqueue } = await import('../../roles/enqueue.js');
      const task = await enqueue(initialisedLayout(cmd), currentActor(), {
        title,
        role: opts.role ?? COMMAND_TASK_ROLE,
        ...(opts.command !== undefined ? { command: opts.command } : {}),
        ...(opts.lane !== undefined ? { lane: opts.lane } : {}),
        ...(opts.priority ? { priority: opts.priority as Priority } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        ...(opts.criteria ? { criteria: opts.criteria } : {}),
        ...(opts.blockedBy ? { blockedBy: opts.blockedBy } : {}),
        ...(opts.expedite ? { expedite: true } : {}),
        ...(opts.skipPr ? { skipPr: true } : {}),
        ...(opts.branch ? { branch: opts.branch } : {}),
        ...(opts.force ? { force: true } : {}),
      });
      if (opts.json) {
        const { withLifecycle } = await import('../../tasks/lifecycle.js');
        return printJson(withLifecycle(task));
      }
      print(`${task.id} created in incoming/ (${task.role}, ${task.priority}): ${task.title}`);
    });
}
