import type { Config } from '../config/agentsConfig.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { isProcessAlive, type ProcessIdentity } from '../core/processInfo.js';
import { type GhCall, ghFor } from '../review/pulls/poll.js';
import { findTask } from '../tasks/list.js';
import { approveBranch } from './approve.js';
import { checkerFor, checkTaskRole, queueCheckTask } from './checkTask.js';
import { combine } from './combine.js';
import { makeFixTask } from './fixTask.js';
import { markStage } from './markStage.js';
import { notifyCannotRun, notifyNeedsPerson } from './notify.js';
import { approvePull, publishPullVerdicts } from './pullChecks.js';
import { cancelStaleCheckTasks } from './staleChecks.js';
import { clearInFlight, writeInFlight, writeVerdict } from './store.js';
import { supersede } from './supersede.js';
import type { CheckVerdict } from './verdict.js';
import { type CheckState, type WaitingBranch, waitingBranches } from './waiting.js';

/** What a tick needs to start a command check in a detached process (scheduler/spawn.ts; tests stand in for it). */
export type CommandStarter = (
  layout: Layout,
  spec: { subject: string; branch: string; head: string; check: string; required: boolean },
) => Promise<ProcessIdentity>;

export interface PassOptions {
  clock: Clock;
  log: (line: string) => void;
  startCommand: CommandStarter;
  isAlive?: (id: ProcessIdentity) => Promise<boolean>;
  /** gh for publishing verdicts on PRs and approving them (github back end); default gh in the project. */
  gh?: GhCall;
}

/** A command check whose process died this many times without a verdict is an error, not retried for ever. */
const MAX_COMMAND_ATTEMPTS = 3;

/**
 * The gatekeepers' part of a tick, after reconcile: for every branch waiting
 * for checks, start the checks its head lacks (a command in a detached
 * process, or a check task for the gatekeeper agent of that focus), then act
 * on the combined verdicts: a fix task, an approval, or a person. Short: it
 * starts work and reads files, and never waits for a check.
 */
export async function gatekeeperPass(layout: Layout, config: Config, options: PassOptions): Promise<void> {
  let gh = options.gh;
  const branches = await waitingBranches(layout, config);
  await cancelStaleCheckTasks(layout, branches, options);
  for (const branch of branches) {
    try {
      await supersede(layout, branch);
      for (const check of branch.checks) await advanceCheck(layout, config, branch, check, options);
      await settle(layout, config, branch, options);
    } catch (err) {
      // One branch's trouble (a task file being edited, a review moved by a person) must not stop the others.
      options.log(`gatekeeper: ${branch.subject}: ${(err as Error).message}`);
    }
    if (branch.pr === undefined) continue;
    try {
      gh ??= ghFor(layout.root);
      await publishPullVerdicts(layout, gh, { ...branch, pr: branch.pr });
    } catch (err) {
      // Not published: the next pass tries again (nothing is remembered as published until gh took it).
      options.log(`gatekeeper: PR #${branch.pr}: publishing the verdicts failed: ${(err as Error).message}`);
    }
  }
}

/** Start the check when its head has neither a verdict nor a run in flight; notice a run that died. */
async function advanceCheck(
  layout: Layout,
  config: Config,
  branch: WaitingBranch,
  check: CheckState,
  options: PassOptions,
): Promise<void> {
  if (check.verdict) return;
  const { subject, head } = branch;
  const now = isoSeconds(options.clock.now());
  const record = (verdict: CheckVerdict['verdict'], summary: string, by: CheckVerdict['by']) => {
    const v: CheckVerdict = {
      check: check.check,
      branch: branch.branch,
      head,
      verdict,
      required: check.required,
      summary,
      findings: [],
      by,
      at: now,
    };
    check.verdict = v;
    return writeVerdict(layout, subject, v);
  };
  let attempts = 0;
  if (check.inFlight?.kind === 'command') {
    const alive = options.isAlive ?? isProcessAlive;
    if (await alive({ pid: check.inFlight.pid, start: check.inFlight.pid_start })) return;
    // Its process is gone without a verdict: killed, never a pass. Run it again, a few times at most.
    attempts = check.inFlight.attempts;
    await clearInFlight(layout, subject, head, check.check);
    if (attempts >= MAX_COMMAND_ATTEMPTS) {
      await record('error', `the check's process ended ${attempts} times without a verdict`, {
        command: check.command ?? '',
      });
      return;
    }
    options.log(`gatekeeper: ${subject} ${check.check}: its process ended without a verdict; running it again`);
  } else if (check.inFlight?.kind === 'task') {
    // findTask says a task is gone with an ExitError; anything else is a real failure and surfaces.
    const task = await findTask(layout, check.inFlight.task).catch((err: unknown) => {
      if (err instanceof ExitError) return undefined;
      throw err;
    });
    if (task && (task.state === 'incoming' || task.state === 'claimed')) return;
    // Done without a verdict, failed for good, or gone: the gatekeeper agent could not give one.
    const why =
      task?.state === 'failed'
        ? `its check task ${task.id} failed: ${task.error ?? 'no reason recorded'}`
        : `its check task ${check.inFlight.task} ended without a verdict`;
    await record('error', why, { agent: checkerFor(config, check.check)?.name ?? `gatekeeper-${check.check}` });
    return;
  }

  if (check.command) {
    const spec = { subject, branch: branch.branch, head, check: check.check, required: check.required };
    const id = await options.startCommand(layout, spec);
    await writeInFlight(layout, subject, head, check.check, {
      kind: 'command',
      pid: id.pid,
      pid_start: id.start,
      started_at: now,
      attempts: attempts + 1,
    });
    options.log(
      `gatekeeper: ${subject} ${check.check}: started \`${check.command}\` at ${head.slice(0, 12)} (pid ${id.pid})`,
    );
    return;
  }
  const checker = checkerFor(config, check.check);
  if (!checker) {
    await record(
      'error',
      `no gatekeeper agent has focus ${check.check} and gatekeeper.commands has no ${check.check}`,
      { agent: `gatekeeper-${check.check}` },
    );
    return;
  }
  const task = await queueCheckTask(layout, config, branch, check, checker.task_role ?? checkTaskRole(check.check));
  await writeInFlight(layout, subject, head, check.check, { kind: 'task', task: task.id, started_at: now });
  options.log(`gatekeeper: ${subject} ${check.check}: queued ${task.id} for ${checker.name}`);
}

/** Act on the combined verdicts of the branch's head, once per head. */
async function settle(layout: Layout, config: Config, branch: WaitingBranch, options: PassOptions): Promise<void> {
  for (const c of branch.checks)
    if (c.verdict?.verdict === 'error') await notifyCannotRun(layout, branch, c.verdict, options.clock);
  const standing = combine(branch);
  switch (standing.state) {
    case 'checking':
      return;
    case 'error':
      await notifyNeedsPerson(
        layout,
        branch,
        `required check ${standing.errors.map((v) => v.check).join(', ')} could not run`,
        options.clock,
      );
      return;
    case 'failed': {
      if (branch.fixMade?.head === branch.head) return;
      const used = branch.fixOf?.round ?? 0;
      if (used >= config.gatekeeper.max_fix_rounds) {
        await notifyNeedsPerson(
          layout,
          branch,
          `${standing.failed.map((v) => v.check).join(', ')} still fail after ${used} fix round(s) (gatekeeper.max_fix_rounds: ${config.gatekeeper.max_fix_rounds})`,
          options.clock,
        );
        return;
      }
      const fix = await makeFixTask(layout, config, branch, standing.failed, options.clock);
      await markStage(layout, branch.task, 'changes_requested', options.clock);
      options.log(
        `gatekeeper: ${branch.subject}: ${standing.failed.map((v) => v.check).join(', ')} failed at ${branch.head.slice(0, 12)}; fix task ${fix.id}`,
      );
      return;
    }
    case 'passed':
      if (branch.pr !== undefined) {
        if (config.gatekeeper.auto_approve)
          await approvePull(
            layout,
            options.gh ?? ghFor(layout.root),
            { ...branch, pr: branch.pr },
            { ...options, mergeMethod: config.merge_queue.github_merge_method },
          );
        return;
      }
      if (branch.mergeError) {
        // The merge queue sent it back with a fix task for this head: the fix is on its way.
        if (branch.fixMade?.head === branch.head) return;
        await notifyNeedsPerson(
          layout,
          branch,
          `its checks pass but its last merge failed: ${branch.mergeError}`,
          options.clock,
        );
        return;
      }
      if (config.gatekeeper.auto_approve) await approveBranch(layout, config, branch, options);
      return;
  }
}
