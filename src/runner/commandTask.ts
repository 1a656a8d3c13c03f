import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { currentProcessIdentity } from '../core/processInfo.js';
import { hasRemote, resolveBaseBranch } from '../git/base.js';
import { removeWorktree } from '../git/remove.js';
import { createTaskWorktree } from '../git/worktree.js';
import { runTestCommand, type TestRun } from '../review/testCommand.js';
import { appendSection, completeTask } from '../tasks/complete.js';
import { failTask } from '../tasks/fail.js';
import { LeaseLostError } from '../tasks/lease.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import { checkFence } from '../tasks/withFence.js';
import { startHeartbeat } from './heartbeat.js';

/** Lines of the command's output kept in the task file; the whole output stays in the log beside it. */
const TAIL_LINES = 40;
const SECTION = 'Command output';

/** Where a command task's worktree and output live: outside the agents' folder, whose unused worktrees reconcile removes. */
export function commandTaskDir(layout: Layout, taskId: string): string {
  return path.join(layout.dir, 'command-tasks', taskId);
}

export function commandLogFile(layout: Layout, taskId: string): string {
  return path.join(commandTaskDir(layout, taskId), 'output.log');
}

export type CommandTaskOutcome =
  | { outcome: 'done' | 'failed' | 'retry'; task: Task; run?: TestRun; summary: string }
  | { outcome: 'lost'; summary: string };

/**
 * Run a claimed command task (role `command`) with no model and no cost: a
 * fresh detached worktree of the base, the command in its own process group
 * cut off at `commands.timeout_minutes`, the lease renewed meanwhile with this
 * process's identity (so reconcile requeues the task if this process dies).
 * The output's tail goes into the task under `## Command output` (the whole
 * log stays in `.orchestrator/command-tasks/<id>/output.log`); exit 0 finishes
 * the task (done, no branch to merge), anything else fails the attempt with
 * the retry rules of every task. A task cancelled meanwhile is left to the
 * cancel: the command runs to its end or its timeout, and nothing is recorded.
 */
export async function runCommandTask(
  layout: Layout,
  config: Config,
  taskId: string,
  token: string,
  options: { clock?: Clock; log?: (line: string) => void } = {},
): Promise<CommandTaskOutcome> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const task = await checkFence(layout, taskId, token);
  const command = task.command;
  const heartbeat = startHeartbeat({
    layout,
    taskId,
    token,
    leaseSeconds: config.tasks.lease_seconds,
    clock,
    runner: await currentProcessIdentity(),
    onLost: (err) => log(`${taskId}: ${err.message}; its result will not be recorded`),
    onError: (err) => log(`${taskId}: lease renewal failed, retried next beat: ${(err as Error).message}`),
  });
  const wt = path.join(commandTaskDir(layout, taskId), 'worktree');
  const logFile = commandLogFile(layout, taskId);
  let run: TestRun | undefined;
  let setupError: string | undefined;
  try {
    if (command === undefined) setupError = `${taskId} has no command (role ${task.role} is for command tasks)`;
    else {
      try {
        await prepareWorktree(layout, config, task, wt);
        log(`${taskId}: running \`${command}\``);
        run = await runTestCommand({
          cwd: wt,
          command,
          timeoutMs: config.commands.timeout_minutes * 60_000,
          log: logFile,
        });
      } catch (err) {
        setupError = `the command could not start: ${(err as Error).message.split('\n')[0]}`;
      }
    }
  } finally {
    await heartbeat.stop();
    // Best effort: a worktree left behind is replaced by the next attempt.
    await removeWorktree(layout.root, wt, { force: true }).catch(() => undefined);
  }
  if (heartbeat.lost) return { outcome: 'lost', summary: heartbeat.lost.message };
  const summary = setupError ?? describe(command!, run!, config.commands.timeout_minutes);
  try {
    const tail = await outputTail(logFile);
    const shownLog = path.relative(layout.root, logFile);
    await updateTask(
      layout,
      taskId,
      (t) => {
        t.body = withSection(
          t.body,
          `${summary} (attempt ${t.attempts + 1}; whole log: ${shownLog})\n\n\`\`\`text\n${tail}\n\`\`\``,
        );
      },
      { token },
    );
    if (run?.ok) {
      const done = await completeTask(layout, taskId, token, {
        result: { exit_code: 0, duration_ms: run.durationMs, cost_usd: 0, output_log: shownLog },
        clock,
      });
      return { outcome: 'done', task: done, run, summary };
    }
    const failed = await failTask(layout, taskId, token, {
      error: summary,
      retry: true,
      backoffSeconds: config.tasks.retry_backoff_seconds,
      clock,
    });
    return { outcome: failed.state === 'failed' ? 'failed' : 'retry', task: failed, ...(run ? { run } : {}), summary };
  } catch (err) {
    if (err instanceof LeaseLostError) return { outcome: 'lost', summary: err.message };
    throw err;
  }
}

async function prepareWorktree(layout: Layout, config: Config, task: Task, wt: string): Promise<void> {
  // Each attempt starts at the base as it is now, never in an earlier attempt's leftovers.
  await removeWorktree(layout.root, wt, { force: true });
  await fs.rm(wt, { recursive: true, force: true });
  const base = task.branch ?? (await resolveBaseBranch(layout.root, config.review.base_branch));
  const remote = (await hasRemote(layout.root, config.review.remote)) ? config.review.remote : undefined;
  await createTaskWorktree(layout.root, {
    path: wt,
    base,
    ...(remote ? { remote } : {}),
    // Merges of the local review queue land in the local base: a command after them must see them.
    preferLocalBase: true,
  });
}

function describe(command: string, run: TestRun, timeoutMinutes: number): string {
  const secs = `${(run.durationMs / 1000).toFixed(1)} s`;
  if (run.timedOut) return `\`${command}\` ran past ${timeoutMinutes} min and was stopped`;
  if (run.ok) return `\`${command}\` exited 0 in ${secs}`;
  if (run.code === 127) return `\`${command}\` could not run: command not found (exit 127)`;
  return `\`${command}\` failed (exit ${run.code ?? run.signal}) in ${secs}`;
}

async function outputTail(file: string): Promise<string> {
  // No log: the command never started; the summary says why.
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n').replace(/```/g, "'''");
}

/** The body with its `## Command output` section replaced by this attempt's (each attempt's output is in the log). */
function withSection(body: string, text: string): string {
  const at = body.search(new RegExp(`^## ${SECTION}\\n`, 'm'));
  if (at < 0) return appendSection(body, SECTION, text);
  const after = body.slice(at + SECTION.length + 4);
  const next = after.search(/^## /m);
  const rest = next < 0 ? '' : after.slice(next);
  return appendSection(body.slice(0, at), SECTION, text) + (rest ? `\n${rest}` : '');
}
