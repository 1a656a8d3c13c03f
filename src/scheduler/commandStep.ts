import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { COMMAND_HOLDER, COMMAND_TASK_ROLE, commandRefusal } from '../config/commandTasks.js';
import type { Clock } from '../core/clock.js';
import { type Layout, packageRoot } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { spawnDetachedNode } from '../process/detached.js';
import { claimNext } from '../tasks/claim.js';
import { failTask } from '../tasks/fail.js';
import { LeaseLostError } from '../tasks/lease.js';
import { listTasks } from '../tasks/list.js';
import { renewLease } from '../tasks/renew.js';
import type { TickLog } from './log.js';

/** Starts the process that runs one claimed command task; injected so tests can count or stand in for it. */
export type CommandTaskStarter = (layout: Layout, spec: { taskId: string; token: string }) => Promise<ProcessIdentity>;

/**
 * The command tasks' step of a tick, after reconcile: claim queued command
 * tasks (holder `tickfleet`; no agent claims role `command`) while fewer than
 * `commands.max_running` run, and start each in a detached process
 * (runner/commandMain.ts). The allow-list is checked again here: a command
 * taken off `commands.allow` since it was queued fails without a retry.
 */
export async function commandStep(
  layout: Layout,
  config: Config,
  options: { clock: Clock; log: TickLog; start: CommandTaskStarter },
): Promise<void> {
  // Without an allow-list no command task can be queued: the tick pays nothing for this step.
  if (config.paused || config.commands.allow.length === 0) return;
  try {
    await startCommandTasks(layout, config, options);
  } catch (err) {
    // Command tasks must never stop the rest of the tick; say so and go on.
    options.log.info(`command task step failed: ${(err as Error).message}`);
  }
}

async function startCommandTasks(
  layout: Layout,
  config: Config,
  options: { clock: Clock; log: TickLog; start: CommandTaskStarter },
): Promise<void> {
  const { tasks: claimed } = await listTasks(layout, { states: ['claimed'] });
  let room = config.commands.max_running - claimed.filter((t) => t.role === COMMAND_TASK_ROLE).length;
  while (room > 0) {
    const claim = await claimNext(layout, {
      role: COMMAND_TASK_ROLE,
      holder: COMMAND_HOLDER,
      leaseSeconds: config.tasks.lease_seconds,
      clock: options.clock,
    });
    if (!claim.ok) return;
    room -= 1;
    const { task, token } = claim;
    const refused = commandRefusal(config, task.command ?? '');
    if (refused) {
      await failTask(layout, task.id, token, { error: refused, retry: false, backoffSeconds: 0, clock: options.clock });
      options.log.info(`${task.id} → failed: ${refused}`);
      continue;
    }
    let runner: ProcessIdentity;
    try {
      runner = await options.start(layout, { taskId: task.id, token });
    } catch (err) {
      const error = `the command task's process could not start: ${(err as Error).message}`;
      const to = await failTask(layout, task.id, token, {
        error,
        retry: true,
        backoffSeconds: config.tasks.retry_backoff_seconds,
        clock: options.clock,
      });
      options.log.info(`${task.id} → ${to.state}: ${error}`);
      continue;
    }
    // Its pid in the lease at once: reconcile then sees a dead process before the lease runs out.
    await renewLease(layout, task.id, token, {
      leaseSeconds: config.tasks.lease_seconds,
      clock: options.clock,
      runner,
    }).catch((err: unknown) => {
      // A fast command may have finished its task already.
      if (!(err instanceof LeaseLostError)) throw err;
    });
    options.log.info(`${task.id}: command started (pid ${runner.pid}): \`${task.command}\``);
  }
}

export function commandTaskScript(): string {
  return path.join(packageRoot(), 'dist', 'runner', 'commandMain.js');
}

/** The detached process of one command task, its output appended to the day's commands log (like a runner). */
export const spawnCommandTask: CommandTaskStarter = (layout, spec) =>
  spawnDetachedNode({
    script: commandTaskScript(),
    args: ['--project', layout.root, '--task', spec.taskId],
    cwd: layout.root,
    logs: layout.logs,
    logName: 'commands',
    what: 'the command task process',
    env: { ...process.env, TICKFLEET_LEASE_TOKEN: spec.token },
  });
