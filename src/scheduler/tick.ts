import type { Config } from '../config/agentsConfig.js';
import { loadConfigCached } from '../config/cache.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import type { CommandStarter } from '../gatekeeper/pass.js';
import type { BatchStarter } from '../merge-queue/spawnBatch.js';
import type { GhCall } from '../review/pulls/poll.js';
import { act, type NotStarted, type StartedRun } from './act.js';
import { type CommandTaskStarter, commandStep, spawnCommandTask } from './commandStep.js';
import { type DailyReportWriter, dailyStep } from './dailyStep.js';
import { gatekeeperStep } from './gatekeeperStep.js';
import { gatherSnapshot } from './gather.js';
import { TickLog } from './log.js';
import { mergeQueueTickStep } from './mergeQueueStep.js';
import { sendTickNotices } from './notices.js';
import { openPrCounter } from './openPrs.js';
import { planTick, type TickPlan } from './plan.js';
import { followPullsStep } from './pullStep.js';
import { reconcile } from './reconcile.js';
import { type Spawner, spawnCheck, spawnRunner } from './spawn.js';
import { splitStep } from './splitStep.js';
import { tryTickLock } from './tickLock.js';
import { writeTickMetrics } from './tickMetrics.js';

export interface TickOptions {
  clock?: Clock;
  /** Plan and explain, change nothing. */
  dryRun?: boolean;
  /** Write logs/scheduler-YYYY-MM-DD.log and per-agent logs. */
  debug?: boolean;
  spawner?: Spawner;
  /** Starts a gatekeeper command check (default: a detached process). */
  startCheck?: CommandStarter;
  /** Starts a command task's process (default: a detached process). */
  startCommandTask?: CommandTaskStarter;
  /** Starts the merge queue's process (default: detached, merge-queue/batchMain.ts). */
  startBatch?: BatchStarter;
  isAlive?: (id: ProcessIdentity) => Promise<boolean>;
  /** Stand-in for the review back end's open count (tests). */
  openPrs?: () => Promise<number>;
  /** Stand-in for gh in the github back end's PR step (tests, benchmarks). */
  gh?: GhCall;
  sleep?: (ms: number) => Promise<void>;
  /** Writes the daily report once a day (scheduler/dailyStep.ts); none = no daily report. */
  dailyReport?: DailyReportWriter;
}

export type TickReport =
  | { ran: false; reason: string; lines: string[] }
  | {
      ran: true;
      dryRun: boolean;
      plan: TickPlan;
      started: StartedRun[];
      notStarted: NotStarted[];
      warnings: string[];
      durationMs: number;
      lines: string[];
    };

/**
 * One tick: take the tick lock (or leave at once if another tick holds it),
 * reconcile, plan, act. A config error stops the tick before it touches
 * anything (fail closed). `dryRun` only reads: no lock, no repairs, no starts.
 */
export async function runTick(layout: Layout, options: TickOptions = {}): Promise<TickReport> {
  const clock = options.clock ?? systemClock;
  const started = Date.now();
  const log = new TickLog(layout, clock, options.debug === true && options.dryRun !== true);

  const lock = options.dryRun ? undefined : await tryTickLock(layout);
  if (!options.dryRun && !lock) {
    const reason = `another tick is running (lock ${layout.schedulerLock}); this one leaves it alone`;
    log.info(reason);
    await log.flush();
    return { ran: false, reason, lines: log.lines };
  }
  try {
    // Parsed once per change of agents.yaml (config/cache.ts); a dry run writes no cache.
    const { config, warnings } = await loadConfigCached(layout, { write: options.dryRun !== true });
    let openPrs = options.openPrs ? memo(options.openPrs) : openPrCounter(layout, config);
    if (!options.dryRun) {
      await reconcile(layout, config, { clock, log, ...(options.isAlive ? { isAlive: options.isAlive } : {}) });
      // Before the snapshot: a parent merged now releases its dependents in this tick's plan.
      await splitStep(layout, { clock, log });
      // The poll that follows the PRs also counts them: one gh call for both.
      if (config.review.backend === 'github') {
        const counted = await followPullsStep(layout, config, {
          clock,
          log,
          ...(options.gh ? { gh: options.gh } : {}),
        });
        if (!options.openPrs) openPrs = memo(counted);
      }
      // After the poll: with the github back end, the branches waiting for checks are the PRs it saw.
      await gatekeeperStep(layout, config, {
        clock,
        log,
        startCommand: options.startCheck ?? spawnCheck,
        ...(options.isAlive ? { isAlive: options.isAlive } : {}),
        ...(options.gh ? { gh: options.gh } : {}),
      });
      await commandStep(layout, config, { clock, log, start: options.startCommandTask ?? spawnCommandTask });
      // After the gatekeepers: what they approved this tick is in the queue.
      await mergeQueueTickStep(layout, config, {
        clock,
        log,
        ...(options.startBatch ? { startBatch: options.startBatch } : {}),
        ...(options.isAlive ? { isAlive: options.isAlive } : {}),
      });
    }
    // Only the dry run probes the client's endpoint: a tick every minute must not pay for it.
    const snapshot = await gatherSnapshot(layout, config, {
      clock,
      openPrs,
      clientCheck: options.dryRun ? 'full' : 'binary',
      refreshIndex: !options.dryRun,
    });
    const plan = planTick(config, snapshot);
    for (const d of plan.decisions)
      log.agent(d.agent, d.action === 'start' ? `start: ${d.reason}` : `skip: ${d.reason}`);
    const outcome = options.dryRun
      ? { started: [], notStarted: [] }
      : await act(layout, config, plan, {
          clock,
          log,
          spawner: options.spawner ?? spawnRunner,
          openPrs,
          ...(options.sleep ? { sleep: options.sleep } : {}),
        });
    if (!options.dryRun) await sendTickNotices(layout, config, snapshot, plan, { clock, log });
    if (!options.dryRun && options.dailyReport) await dailyStep(layout, config, options.dailyReport, { clock, log });
    const durationMs = Date.now() - started;
    if (!options.dryRun)
      await writeTickMetricsSafely(
        layout,
        config,
        snapshot,
        durationMs,
        outcome.started.map((s) => s.agent),
        log,
      );
    log.info(`tick done in ${durationMs} ms: ${outcome.started.length} started`);
    return {
      ran: true,
      dryRun: options.dryRun === true,
      plan,
      ...outcome,
      warnings: warnings.map((w) => `${w.line ? `line ${w.line} ` : ''}${w.path}: ${w.message}`),
      durationMs,
      lines: log.lines,
    };
  } finally {
    await log.flush();
    await lock?.release();
  }
}

async function writeTickMetricsSafely(
  layout: Layout,
  config: Config,
  snapshot: Parameters<typeof writeTickMetrics>[2],
  durationMs: number,
  startedNow: string[],
  log: TickLog,
): Promise<void> {
  if (!config.metrics.textfile) return;
  try {
    await writeTickMetrics(layout, config, snapshot, durationMs, startedNow);
  } catch (err) {
    // Metrics must never stop the fleet; say so and go on.
    log.info(`metrics not written to ${config.metrics.textfile}: ${(err as Error).message}`);
  }
}

function memo(fn: () => Promise<number>): () => Promise<number> {
  let value: Promise<number> | undefined;
  return () => (value ??= fn());
}
