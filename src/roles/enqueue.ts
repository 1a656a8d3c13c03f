import { COMMAND_TASK_ROLE, commandRefusal } from '../config/commandTasks.js';
import { loadConfig } from '../config/load.js';
import type { Actor } from '../core/actor.js';
import { ExitError, UsageError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { enqueueTask } from '../tasks/enqueue.js';
import type { Priority } from '../tasks/priority.js';
import type { Task } from '../tasks/task.js';
import { checkTaskRole } from './taskRole.js';

export interface EnqueueRequest {
  title: string;
  role: string;
  priority?: Priority;
  context?: string;
  criteria?: string[];
  blockedBy?: string[];
  expedite?: boolean;
  skipPr?: boolean;
  branch?: string;
  /** Only agents whose lanes include it claim the task. */
  lane?: string;
  /** A command task (role `command`): tickfleet runs it itself when commands.allow permits it. */
  command?: string;
  /** A person may go past max_incoming, and queue a role no agent claims yet; an agent never can. */
  force?: boolean;
}

/**
 * `tickfleet enqueue`: the single gate into the task queue, for people and
 * agents alike. The task is validated and written atomically; its role must
 * be one an agent claims (taskRole.ts); queue_limits.max_incoming is enforced
 * under the queue lock.
 */
export async function enqueue(layout: Layout, actor: Actor, req: EnqueueRequest): Promise<Task> {
  if (req.force && actor.isAgent)
    throw new UsageError(`--force is for people; agent ${actor.name} must respect max_incoming`);
  const { config } = await loadConfig(layout);
  if (req.command !== undefined) {
    if (req.role !== COMMAND_TASK_ROLE)
      throw new UsageError(`a command task has role ${COMMAND_TASK_ROLE}, got --role ${req.role}; leave --role out`);
    // Never forced: the allow-list is the only thing between a task file and a shell.
    const refused = commandRefusal(config, req.command);
    if (refused) throw new ExitError(`${refused}; add it to commands.allow to queue it`);
  } else if (req.role === COMMAND_TASK_ROLE) {
    throw new UsageError(`role ${COMMAND_TASK_ROLE} is for command tasks: give the command with --command`);
  } else if (!req.force) checkTaskRole(config, req.role, actor.isAgent);
  return enqueueTask(
    layout,
    {
      title: req.title,
      role: req.role,
      created_by: actor.name,
      ...(req.priority ? { priority: req.priority } : {}),
      ...(req.context ? { context: req.context } : {}),
      acceptance: req.criteria ?? [],
      blocked_by: req.blockedBy ?? [],
      ...(req.expedite ? { expedite: true } : {}),
      ...(req.skipPr ? { skip_pr: true } : {}),
      ...(req.branch ? { branch: req.branch } : {}),
      ...(req.lane !== undefined ? { lane: req.lane } : {}),
      ...(req.command !== undefined ? { command: req.command.trim() } : {}),
      max_attempts: config.tasks.max_attempts,
    },
    req.force ? {} : { limits: { maxIncoming: config.queue_limits.max_incoming } },
  );
}
