import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { PROPOSAL_STATES } from '../core/paths.js';
import { listIds } from '../core/queueFolder.js';
import { readBatchDay } from '../ledger/batch.js';
import { readLedgerDay } from '../ledger/ledger.js';
import { summarizeRuns } from '../ledger/query.js';
import { mergeQueueStatus } from '../merge-queue/status.js';
import { renderMetrics } from '../metrics/render.js';
import { writeMetricsTextfile } from '../metrics/textfile.js';
import { proposalQueue } from '../proposals/store.js';
import { queueStatus } from '../tasks/queueCounts.js';
import type { TickSnapshot } from './snapshot.js';

/** The Prometheus textfile of `metrics.textfile`, refreshed at the end of every tick. */
export async function writeTickMetrics(
  layout: Layout,
  config: Config,
  snap: TickSnapshot,
  durationMs: number,
  startedNow: readonly string[],
): Promise<void> {
  const file = config.metrics.textfile;
  if (!file) return;
  const queue = await queueStatus(layout);
  const proposals: Record<string, number> = {};
  const pq = proposalQueue(layout);
  for (const state of PROPOSAL_STATES) proposals[state] = listIds(pq, state).length;
  // The snapshot was taken before this tick's starts: count those as running too.
  const isRunning = (name: string) => snap.agents[name]?.running !== undefined || startedNow.includes(name);
  const running = config.agents.filter((a) => isRunning(a.name)).length;
  const paused = config.agents.filter((a) => !isRunning(a.name) && (a.paused || config.paused)).length;
  const mq = await mergeQueueStatus(layout);
  const batchesToday: Record<string, number> = {};
  for (const b of await readBatchDay(layout, localDay(snap.now)))
    batchesToday[b.outcome] = (batchesToday[b.outcome] ?? 0) + 1;
  const text = renderMetrics({
    queue: queue.byStateAndRole,
    proposals,
    runsToday: summarizeRuns(await readLedgerDay(layout, localDay(snap.now))).byOutcome,
    costUsdToday: snap.spend.fleet,
    agents: { running, paused, idle: config.agents.length - running - paused },
    fleetPaused: config.paused || snap.fleetPause !== undefined,
    mergeQueue: { depth: mq.waiting.length, held: mq.hold !== undefined, batchesToday },
    tickDurationSeconds: durationMs / 1000,
    tickAt: snap.now,
    constLabels: { project: layout.root },
  });
  await writeMetricsTextfile(path.resolve(layout.root, file), text);
}
