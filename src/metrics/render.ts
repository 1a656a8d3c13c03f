import { type MetricFamily, renderFamilies, type Sample } from './exposition.js';
import type { MetricsInput } from './input.js';

/**
 * The fleet's metrics as a node_exporter textfile. Every metric is a gauge:
 * this is a snapshot rewritten each tick, and "today" figures reset at
 * midnight, which a counter must never do.
 */
export function renderMetrics(input: MetricsInput): string {
  const families: MetricFamily[] = [
    gauge('tickfleet_queue_tasks', 'Tasks in each queue folder, by role.', nested(input.queue, 'state', 'role')),
    gauge('tickfleet_proposals', 'Proposals in each proposal folder.', flat(input.proposals, 'state')),
    gauge(
      'tickfleet_runs_today',
      'Agent runs started today (local day), by outcome; resets at midnight.',
      flat(input.runsToday, 'outcome'),
    ),
    gauge('tickfleet_cost_usd_today', "Today's spend of the whole fleet in US dollars (local day).", [
      { value: input.costUsdToday },
    ]),
    gauge('tickfleet_agents', 'Agents by state: running (a run in progress), paused, idle.', [
      { labels: { state: 'running' }, value: input.agents.running },
      { labels: { state: 'paused' }, value: input.agents.paused },
      { labels: { state: 'idle' }, value: input.agents.idle },
    ]),
    gauge('tickfleet_fleet_paused', '1 while new spawns are paused for the whole fleet, else 0.', [
      { value: input.fleetPaused ? 1 : 0 },
    ]),
    gauge('tickfleet_tick_duration_seconds', 'How long the last scheduler tick took.', [
      { value: input.tickDurationSeconds },
    ]),
    gauge(
      'tickfleet_last_tick_timestamp_seconds',
      'When the last scheduler tick ran, in seconds since the Unix epoch.',
      [{ value: input.tickAt.getTime() / 1000 }],
    ),
  ];
  const mq = input.mergeQueue;
  if (mq)
    families.push(
      gauge('tickfleet_merge_queue_depth', 'Approved branches waiting in the merge queue.', [{ value: mq.depth }]),
      gauge('tickfleet_merge_queue_held', '1 while the merge queue is held (base red, a dirty checkout), else 0.', [
        { value: mq.held ? 1 : 0 },
      ]),
      gauge(
        'tickfleet_merge_queue_batches_today',
        'Merge-queue batches finished today (local day), by outcome; resets at midnight.',
        flat(mq.batchesToday, 'outcome'),
      ),
    );
  return renderFamilies(families, input.constLabels);
}

function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

/** Sorted by label value, so the file's text is stable from tick to tick. */
function flat(counts: Record<string, number>, label: string): Sample[] {
  return sortedKeys(counts).map((key) => ({ labels: { [label]: key }, value: counts[key]! }));
}

function nested(counts: Record<string, Record<string, number>>, outer: string, inner: string): Sample[] {
  return sortedKeys(counts).flatMap((a) =>
    sortedKeys(counts[a]!).map((b) => ({ labels: { [outer]: a, [inner]: b }, value: counts[a]![b]! })),
  );
}

function sortedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).sort();
}
