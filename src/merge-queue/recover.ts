import { isoSeconds } from '../core/clock.js';
import { revParse } from '../git/run.js';
import type { BatchRecord } from '../ledger/batch.js';
import { groupAlive, terminateGroup } from '../process/group.js';
import { ReviewStore } from '../review/reviewStore.js';
import { stageTask } from '../review/stageTask.js';
import { recordBatch } from './batch.js';
import type { QueueContext } from './context.js';
import { finishLanding } from './land.js';
import { clearScratch } from './scratch.js';
import type { InFlightBatch } from './state.js';

const KILL_GRACE_MS = 2_000;

/**
 * A batch whose process ended mid-way (killed, the machine restarted): the
 * lock it held is free, so its recovery runs under the lock too. Its test
 * command's group is ended; the base is either where the batch found it
 * (nothing landed: its branches wait, still approved, for the next batch) or
 * at the landing tip it wrote before advancing (the landing is finished).
 */
export async function recoverBatch(ctx: QueueContext, batch: InFlightBatch): Promise<BatchRecord> {
  if (batch.test && (await groupAlive(batch.test.pgid))) await terminateGroup(batch.test.pgid, KILL_GRACE_MS);
  const now = await revParse(ctx.layout.root, `refs/heads/${batch.base}`);
  const landing = batch.landing && now === batch.landing.tip ? batch.landing : undefined;
  if (landing) await finishLanding(ctx, landing.tip, landing.landed);
  const store = new ReviewStore(ctx.layout);
  for (const e of batch.entries)
    if (await store.read('approved', e.review)) await stageTask(ctx.layout, e.task, 'approved', { clock: ctx.clock });
  await clearScratch(ctx.layout);
  const landed = landing?.landed.map((e) => e.review) ?? [];
  const record: BatchRecord = {
    id: batch.id,
    base: batch.base,
    from: batch.base_sha,
    ...(landing ? { to: landing.tip } : {}),
    started_at: batch.started_at,
    finished_at: isoSeconds(ctx.clock.now()),
    duration_ms: Math.max(0, ctx.clock.now().getTime() - new Date(batch.started_at).getTime()),
    outcome: landed.length === 0 ? 'interrupted' : landed.length === batch.entries.length ? 'landed' : 'partly_landed',
    branches: batch.entries.map((e) => e.review),
    landed,
    culprits: [],
    conflicts: [],
    test_runs: batch.test_runs,
    tasks: [],
    reason: `its process (pid ${batch.owner.pid}) ended mid-batch; ${landing ? 'the base had advanced: the landing was finished' : `${batch.base} was left at ${batch.base_sha.slice(0, 12)}`}`,
  };
  await recordBatch(ctx, record);
  ctx.log(`merge queue: recovered batch ${batch.id}: ${record.reason}`);
  return record;
}
