import type { Layout } from '../core/paths.js';
import type { BatchRecord } from '../ledger/batch.js';
import { approvedEntries } from './entries.js';
import { type QueueEntry, type QueueHold, readQueueState } from './state.js';

/** The merge queue in one read, as plain data (`tickfleet merge-queue --json`, the status board, the HTTP API). */
export interface MergeQueueStatus {
  /** Approved branches waiting, oldest approval first (the batch in flight's included). */
  waiting: QueueEntry[];
  /** The batch being merged now. */
  inFlight?: {
    id: string;
    base: string;
    baseSha: string;
    reviews: string[];
    startedAt: string;
    pid: number;
    testRuns: number;
    /** The commit under test now. */
    testing?: string;
    landing: boolean;
  };
  /** Why nothing lands now. */
  hold?: QueueHold;
  /** The newest batches, newest first. */
  last: BatchRecord[];
}

export async function mergeQueueStatus(layout: Layout): Promise<MergeQueueStatus> {
  const [waiting, state] = await Promise.all([approvedEntries(layout), readQueueState(layout)]);
  const b = state.in_flight;
  return {
    waiting,
    ...(b
      ? {
          inFlight: {
            id: b.id,
            base: b.base,
            baseSha: b.base_sha,
            reviews: b.entries.map((e) => e.review),
            startedAt: b.started_at,
            pid: b.owner.pid,
            testRuns: b.test_runs,
            ...(b.test ? { testing: b.test.commit } : {}),
            landing: b.landing !== undefined,
          },
        }
      : {}),
    ...(state.hold ? { hold: state.hold } : {}),
    last: state.last,
  };
}

/** One line for `tickfleet status`; undefined when the queue has nothing to say. */
export function mergeQueueLine(status: MergeQueueStatus): string | undefined {
  const parts: string[] = [];
  if (status.hold) parts.push(`held: ${status.hold.reason}`);
  if (status.inFlight)
    parts.push(
      `batch ${status.inFlight.id} of ${status.inFlight.reviews.length} in flight (${status.inFlight.testRuns} test run${status.inFlight.testRuns === 1 ? '' : 's'})`,
    );
  if (status.waiting.length > 0) parts.push(`${status.waiting.length} approved waiting`);
  const last = status.last[0];
  if (last) parts.push(`last batch ${last.outcome}: ${last.landed.length} of ${last.branches.length} landed`);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

/** `tickfleet merge-queue` as lines: what waits, the batch in flight, a hold and the last results. */
export function formatMergeQueue(status: MergeQueueStatus): string[] {
  const lines: string[] = [];
  if (status.hold) lines.push(`held since ${status.hold.since}: ${status.hold.reason}`);
  const b = status.inFlight;
  if (b)
    lines.push(
      `in flight: batch ${b.id} (pid ${b.pid}) onto ${b.base} at ${b.baseSha.slice(0, 12)}: ${b.reviews.join(', ')}; ${b.testRuns} test run(s)${b.testing ? `, testing ${b.testing.slice(0, 12)}` : ''}${b.landing ? ', landing' : ''}`,
    );
  if (status.waiting.length === 0) lines.push('waiting: nothing approved');
  else {
    lines.push(`waiting (${status.waiting.length}, oldest approval first):`);
    for (const e of status.waiting) lines.push(`  ${e.review}  ${e.branch} → ${e.base}  approved ${e.approved}`);
  }
  if (status.last.length > 0) {
    lines.push('last batches:');
    for (const r of status.last) {
      const back = [...r.culprits.map((c) => `${c} culprit`), ...r.conflicts.map((c) => `${c} taken out`)];
      lines.push(
        `  ${r.id}  ${r.outcome}  ${r.landed.length}/${r.branches.length} landed  ${r.test_runs} test run(s)  ${Math.round(r.duration_ms / 1000)} s${back.length > 0 ? `  (${back.join(', ')})` : ''}${r.reason ? `  ${r.reason}` : ''}`,
      );
    }
  }
  return lines;
}
