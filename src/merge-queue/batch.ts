import { nanoid } from 'nanoid';
import { isoSeconds } from '../core/clock.js';
import { revParse } from '../git/run.js';
import { type BatchOutcome, type BatchRecord, writeBatchRecord } from '../ledger/batch.js';
import type { DirtyBase } from '../review/advanceBase.js';
import { stageTask } from '../review/stageTask.js';
import type { Task } from '../tasks/task.js';
import { bisect } from './bisect.js';
import type { QueueContext } from './context.js';
import { holdBaseRed, holdDirtyBase } from './hold.js';
import { land } from './land.js';
import { clearScratch, freshScratch } from './scratch.js';
import { type GoingBack, sendBack } from './sendBack.js';
import { type Stacked, stackBranches, type TakenOut } from './stack.js';
import { type InFlightBatch, LAST_KEPT, type QueueEntry, readQueueState, updateQueueState } from './state.js';
import { type TestVerdict, testAt } from './testAt.js';

/** What became of one branch of a batch. */
export type EntryOutcome =
  | { landed: true; head: string; previous: string; testLog?: string }
  | {
      landed: false;
      code: GoingBack['code'];
      reason: string;
      conflicts?: string[];
      testLog?: string;
      fixTask?: Task;
    }
  /** Still approved, waiting: the queue is held (base red, a person's checkout) or the base moved meanwhile. */
  | { landed: false; code: 'waiting'; reason: string; dirty?: DirtyBase };

export interface BatchRun {
  record: BatchRecord;
  outcomes: Map<string, EntryOutcome>;
}

/**
 * One batch: stack the approved branches onto the fresh base in the scratch
 * worktree, run the test command once on the tip; red, once more (a flaky
 * test is not a culprit); still red, test the base alone unless it was seen
 * green at this commit (red: hold, blame no branch), then bisect. The good
 * branches land together, each culprit and conflict goes back with a fix
 * task. `blameBase: false` while a red base holds the queue: the batch is
 * the base's fix, and the base is known red.
 */
export async function runBatch(
  ctx: QueueContext,
  entries: readonly QueueEntry[],
  options: { blameBase: boolean },
): Promise<BatchRun> {
  const started = ctx.clock.now();
  const wallStart = Date.now();
  const base = entries[0]!.base;
  const id = `MQ-${isoSeconds(started).replace(/[-:]/g, '')}-${nanoid(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
  const outcomes = new Map<string, EntryOutcome>();
  const tasks: string[] = [];
  const baseSha = await revParse(ctx.layout.root, `refs/heads/${base}`);
  const batch: InFlightBatch = {
    id,
    base,
    base_sha: baseSha ?? '',
    entries: [...entries],
    started_at: isoSeconds(started),
    owner: ctx.owner,
    test_runs: 0,
  };
  let to: string | undefined;
  let reason: string | undefined;
  let held = false;

  const goBack = async (entry: QueueEntry, why: Omit<GoingBack, 'batch' | 'batchId'>) => {
    const fix = await sendBack(ctx, entry, { ...why, batch: entries, batchId: id });
    if (fix) tasks.push(fix.id);
    outcomes.set(entry.review, {
      landed: false,
      code: why.code,
      reason: why.reason,
      ...(why.conflicts ? { conflicts: why.conflicts } : {}),
      ...(why.log ? { testLog: why.log } : {}),
      ...(fix ? { fixTask: fix } : {}),
    });
  };
  const takeOut = (t: TakenOut) =>
    goBack(t.entry, { code: t.code, reason: t.reason, ...(t.conflicts.length > 0 ? { conflicts: t.conflicts } : {}) });
  const wait = async (list: readonly QueueEntry[], why: string, dirty?: DirtyBase) => {
    for (const e of list) {
      outcomes.set(e.review, { landed: false, code: 'waiting', reason: why, ...(dirty ? { dirty } : {}) });
      await stageTask(ctx.layout, e.task, 'approved', { clock: ctx.clock });
    }
  };

  if (!baseSha) {
    for (const e of entries) await goBack(e, { code: 'missing', reason: `base branch ${base} does not exist` });
    return finish();
  }
  await updateQueueState(ctx.layout, (s) => {
    s.in_flight = batch;
  });
  for (const e of entries) await stageTask(ctx.layout, e.task, 'merging', { clock: ctx.clock });
  ctx.log(
    `merge queue: batch ${id}: ${entries.map((e) => e.review).join(', ')} onto ${base} at ${baseSha.slice(0, 12)}`,
  );
  const scratch = await freshScratch(ctx.layout, baseSha);
  try {
    const stack = await stackBranches(scratch, ctx.layout.root, baseSha, entries);
    for (const t of stack.takenOut) await takeOut(t);
    if (stack.stacked.length === 0) return await finish();
    const tip = stack.stacked[stack.stacked.length - 1]!.tip;
    const test = (commit: string, label: string) => testAt(ctx, scratch, commit, label, id);
    let verdict = await test(tip, 'batch');
    if (!verdict.green) {
      const again = await test(tip, 'retry');
      if (again.green) verdict = again;
    }
    let good: Stacked[] = stack.stacked;
    let greenTip = tip;
    if (!verdict.green) {
      if (options.blameBase && (await readQueueState(ctx.layout)).green_base !== baseSha) {
        const alone = await test(baseSha, 'base');
        if (!alone.green) {
          const hold = await holdBaseRed(ctx, base, baseSha, alone);
          await wait(
            stack.stacked.map((s) => s.entry),
            hold.reason,
          );
          held = true;
          reason = hold.reason;
          return await finish();
        }
        await updateQueueState(ctx.layout, (s) => {
          s.green_base = baseSha;
        });
      }
      const found = await bisect(baseSha, stack.stacked, verdict, {
        test,
        restack: (onto, list) => stackBranches(scratch, ctx.layout.root, onto, list),
      });
      for (const c of found.culprits) await goBack(c.stacked.entry, culpritWhy(c.stacked.entry, c.verdict, id));
      for (const t of found.takenOut) await takeOut(t);
      good = found.good;
      greenTip = found.greenTip;
    }
    if (good.length === 0) return await finish();
    const advanced = await land(ctx, batch, good, greenTip);
    const list = good.map((s) => s.entry);
    if (advanced.ok) {
      to = greenTip;
      for (const s of good)
        outcomes.set(s.entry.review, {
          landed: true,
          head: greenTip,
          previous: baseSha,
          ...(ctx.config.review.test_command ? { testLog: verdict.log } : {}),
        });
    } else if (advanced.code === 'dirty_base') {
      const hold = await holdDirtyBase(ctx, base, advanced);
      await wait(list, hold.reason, advanced);
      held = true;
      reason = hold.reason;
    } else {
      // The base moved while the batch was tested (a person's commit): nobody's fault; tested again next time.
      reason = `${advanced.reason.replace(/; approve it again to retry$/, '')}; the batch is tested again on the new base`;
      await wait(list, reason);
    }
    return await finish();
  } finally {
    // A batch that threw leaves no scratch worktree either; after finish() this finds nothing.
    await clearScratch(ctx.layout);
  }

  async function finish(): Promise<BatchRun> {
    // Before the record: a batch that reads as finished has left nothing behind.
    await clearScratch(ctx.layout);
    const state = await readQueueState(ctx.layout);
    const landed = [...outcomes].filter(([, o]) => o.landed).map(([r]) => r);
    const codeOf = (o: EntryOutcome) => (o.landed ? undefined : o.code);
    const back = [...outcomes].filter(([, o]) => codeOf(o) !== undefined && codeOf(o) !== 'waiting');
    const outcome: BatchOutcome = held
      ? 'held'
      : landed.length === entries.length
        ? 'landed'
        : landed.length > 0
          ? 'partly_landed'
          : back.length > 0
            ? 'rejected'
            : 'interrupted';
    const record: BatchRecord = {
      id,
      base,
      from: baseSha ?? '',
      ...(to ? { to } : {}),
      started_at: isoSeconds(started),
      finished_at: isoSeconds(ctx.clock.now()),
      duration_ms: Date.now() - wallStart,
      outcome,
      branches: entries.map((e) => e.review),
      landed,
      culprits: back.filter(([, o]) => codeOf(o) === 'tests_failed').map(([r]) => r),
      conflicts: back.filter(([, o]) => codeOf(o) !== 'tests_failed').map(([r]) => r),
      test_runs: state.in_flight?.id === id ? state.in_flight.test_runs : 0,
      tasks,
      ...(reason ? { reason } : {}),
    };
    await recordBatch(ctx, record);
    ctx.log(
      `merge queue: batch ${id} ${outcome}: ${landed.length} landed, ${record.culprits.length} culprit(s), ${record.conflicts.length} taken out, ${record.test_runs} test run(s)`,
    );
    return { record, outcomes };
  }
}

function culpritWhy(entry: QueueEntry, verdict: TestVerdict, batchId: string): Omit<GoingBack, 'batch' | 'batchId'> {
  return {
    code: 'tests_failed',
    reason: `tests on ${entry.branch} stacked onto ${entry.base} in batch ${batchId} ${verdict.how}; see ${verdict.log}`,
    log: verdict.log,
    tail: verdict.tail,
  };
}

/** The ledger's record, and the newest few in the queue's state for `tickfleet merge-queue`; the batch is no longer in flight. */
export async function recordBatch(ctx: QueueContext, record: BatchRecord): Promise<void> {
  await writeBatchRecord(ctx.layout, record);
  await updateQueueState(ctx.layout, (s) => {
    if (s.in_flight?.id === record.id) delete s.in_flight;
    s.last = [record, ...s.last.filter((r) => r.id !== record.id)].slice(0, LAST_KEPT);
  });
}
