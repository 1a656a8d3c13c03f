import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type RunningRun, readAgentState, updateAgentState } from '../agents/state.js';
import { endRecordedGroup } from '../claude/ownedGroup.js';
import type { AgentConfig, Config } from '../config/agentsConfig.js';
import { isTempFileName } from '../core/atomicFile.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import { ignoreMissing } from '../core/errors.js';
import { type Layout, spareMakingPath, spareWorktreePath, worktreePathFor } from '../core/paths.js';
import { isProcessAlive, type ProcessIdentity, UNKNOWN_START, unknownStartExpired } from '../core/processInfo.js';
import { removeCleanOrphans } from '../git/orphans.js';
import { writeLedgerRecord } from '../ledger/ledger.js';
import { failTask } from '../tasks/fail.js';
import { LeaseLostError } from '../tasks/lease.js';
import { requeueStale } from '../tasks/requeue.js';
import { lastSignOfLife } from './deathTime.js';
import type { TickLog } from './log.js';

export interface ReconcileOptions {
  clock: Clock;
  log: TickLog;
  isAlive?: (id: ProcessIdentity) => Promise<boolean>;
}

/** A run recorded without a pid for this long never got its runner started. */
const SPAWN_GRACE_MS = 120_000;
/** Past the client's time limit, what a run may still spend delivering (rebase, push, tests before a merge). */
const UNKNOWN_START_GRACE_MS = 30 * 60_000;
/** SIGTERM to a dead run's client group, then SIGKILL after this long. */
const CLIENT_KILL_GRACE_MS = 3_000;
/** Temp files of atomic writes older than this were left by a killed writer. */
const TEMP_FILE_MAX_AGE_MS = 3_600_000;

/**
 * Repair the world before planning: runners that died, leases that expired,
 * a clock that went back, worktrees nobody uses, temp files of killed writers.
 * Each repair is logged; none loses work.
 */
export async function reconcile(layout: Layout, config: Config, options: ReconcileOptions): Promise<void> {
  const isAlive = options.isAlive ?? isProcessAlive;
  const now = options.clock.now();
  // Spare checkouts are kept on purpose (scheduler.spare_worktrees), never removed as orphans.
  const inUse = new Set<string>(config.agents.map((a) => spareWorktreePath(layout, a.name)));

  for (const agent of config.agents) {
    const state = await readAgentState(layout, agent.name);
    if (state.last_started_at && new Date(state.last_started_at).getTime() > now.getTime()) {
      await updateAgentState(layout, agent.name, (s) => ({ ...s, last_started_at: isoSeconds(now) }));
      options.log.agent(
        agent.name,
        `clock went back: last start ${state.last_started_at} is in the future, counted from now`,
      );
    }
    const run = state.running;
    if (!run) continue;
    const dead = await runnerGone(run, now, isAlive, agent.claude.timeout_minutes);
    if (!dead) {
      inUse.add(worktreePathFor(layout, agent.name, run.task_id ?? run.run_id));
      // The spare this run is making, not yet moved into place.
      inUse.add(spareMakingPath(layout, agent.name, run.run_id));
      continue;
    }
    await buryRun(layout, config, agent, run, dead, options);
  }

  for (const action of await requeueStale(layout, {
    clock: options.clock,
    isAlive,
    backoffSeconds: config.tasks.retry_backoff_seconds,
  })) {
    options.log.info(`${action.id} → ${action.to}: ${action.reason}`);
  }

  const orphans = await removeCleanOrphans(layout.root, { managedDir: layout.agents, inUse });
  for (const removed of orphans.removed)
    options.log.info(`removed unused worktree ${path.relative(layout.root, removed)}`);
  for (const saved of orphans.saved)
    options.log.info(
      `kept commits of ${path.relative(layout.root, saved.path)} on branch ${saved.branch} before removing it`,
    );

  await removeStaleTempFiles(layout.tmp);
}

async function runnerGone(
  run: RunningRun,
  now: Date,
  isAlive: (id: ProcessIdentity) => Promise<boolean>,
  timeoutMinutes: number,
): Promise<string | undefined> {
  if (run.pid === undefined) {
    const age = now.getTime() - new Date(run.started_at).getTime();
    return age > SPAWN_GRACE_MS ? `its runner never started (recorded ${run.started_at}, no pid)` : undefined;
  }
  // A runner recorded without its start time is believed no longer than a run can last.
  const runner = { pid: run.pid, start: run.pid_start ?? UNKNOWN_START };
  const trustUntil = new Date(new Date(run.started_at).getTime() + timeoutMinutes * 60_000 + UNKNOWN_START_GRACE_MS);
  if (unknownStartExpired(runner, now, trustUntil))
    return `its runner (pid ${run.pid}) was recorded without a start time and is past its time limit (${isoSeconds(trustUntil)}); a reused pid cannot be told from it, so it counts as dead`;
  if (await isAlive(runner)) return undefined;
  return `its runner (pid ${run.pid}) died without recording an end (killed, or the machine restarted)`;
}

/**
 * A run whose runner died: end its client's process group first (it may still
 * be working in the worktree), then fail its task (fenced, so a task already
 * moved on is left alone), record it, free the agent.
 */
async function buryRun(
  layout: Layout,
  config: Config,
  agent: AgentConfig,
  run: RunningRun,
  why: string,
  options: ReconcileOptions,
): Promise<void> {
  const now = options.clock.now();
  if (run.client_pgid !== undefined) {
    const ended = await endRecordedGroup(
      { pid: run.client_pgid, start: run.client_start ?? 'unknown' },
      CLIENT_KILL_GRACE_MS,
    );
    if (ended === 'terminated' || ended === 'killed')
      options.log.agent(
        agent.name,
        `run ${run.run_id}: its client (process group ${run.client_pgid}) outlived the runner: ${ended}`,
      );
  }
  // Read before the task moves: its lease holds the runner's last renewal.
  const diedAt = new Date(Math.min(now.getTime(), (await lastSignOfLife(layout, agent.name, run)).getTime()));
  let taskNote = '';
  if (run.task_id && run.token) {
    try {
      const task = await failTask(layout, run.task_id, run.token, {
        error: why,
        retry: true,
        backoffSeconds: config.tasks.retry_backoff_seconds,
        clock: options.clock,
      });
      taskNote = `; ${task.id} → ${task.state} (attempt ${task.attempts} of ${task.max_attempts})`;
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      taskNote = `; ${run.task_id} had already moved on`;
    }
  }
  await writeLedgerRecord(layout, {
    run_id: run.run_id,
    agent: agent.name,
    role: agent.role,
    ...(run.task_id ? { task_id: run.task_id } : {}),
    started_at: run.started_at,
    finished_at: isoSeconds(diedAt),
    finished_at_estimated: true,
    duration_ms: Math.max(0, diedAt.getTime() - new Date(run.started_at).getTime()),
    outcome: 'crashed',
    reason: why + taskNote,
    // What it spent is unknown: its transcript has the usage seen so far.
    cost_usd: 0,
    tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    turns: 0,
  });
  await updateAgentState(layout, agent.name, (s) => {
    if (s.running?.run_id !== run.run_id) return undefined;
    delete s.running;
    s.last_finished_at = isoSeconds(now);
    s.last_outcome = {
      run_id: run.run_id,
      kind: 'crashed',
      reason: why,
      finished_at: isoSeconds(now),
      ...(run.task_id ? { task_id: run.task_id } : {}),
    };
    s.consecutive_failures += 1;
    return s;
  });
  options.log.agent(agent.name, `run ${run.run_id}: ${why}${taskNote}`);
}

async function removeStaleTempFiles(dir: string): Promise<void> {
  // No folder, no temp files; a folder that cannot be read is a real failure.
  const names = await fs.readdir(dir).catch(ignoreMissing);
  if (!names) return;
  for (const name of names) {
    if (!isTempFileName(name)) continue;
    const file = path.join(dir, name);
    // Gone already: renamed into place, or removed by another tick.
    const stat = await fs.stat(file).catch(ignoreMissing);
    // File times are wall-clock time, whatever clock the tick was given.
    if (stat && Date.now() - stat.mtimeMs > TEMP_FILE_MAX_AGE_MS) await fs.rm(file, { force: true });
  }
}
