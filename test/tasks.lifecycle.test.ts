import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { ExitError } from '../src/core/errors.js';
import type { Layout } from '../src/core/paths.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimNext, claimTask } from '../src/tasks/claim.js';
import { claimableSummary } from '../src/tasks/claimable.js';
import { completeTask } from '../src/tasks/complete.js';
import { failTask } from '../src/tasks/fail.js';
import { taskLifecycle } from '../src/tasks/lifecycle.js';
import { findTask } from '../src/tasks/list.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { countTask, summarizeTask } from '../src/tasks/scan.js';
import { setTaskStage } from '../src/tasks/setStage.js';
import type { DeliveryStage } from '../src/tasks/stage.js';
import type { Task } from '../src/tasks/task.js';
import { addTask, SEED_TASK, tempLayout, writeRaw } from './fixtures/tasks/project.js';

const lease = (clock: FakeClock) => ({ holder: 'impl-1', leaseSeconds: 600, clock });

/** A task taken through claim to done/, with the stage its delivery would record. */
async function finished(layout: Layout, clock: FakeClock, stage?: DeliveryStage, title = 'blocker'): Promise<Task> {
  const task = await addTask(layout, clock, { title, role: 'test' });
  const claimed = await claimTask(layout, task.id, lease(clock));
  if (!claimed.ok) throw new Error(claimed.reason);
  return completeTask(layout, task.id, claimed.token, { result: {}, ...(stage ? { stage } : {}), clock });
}

describe('taskLifecycle', () => {
  it('puts every task in exactly one state', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const queued = await addTask(layout, clock);
    const working = await addTask(layout, clock);
    await claimTask(layout, working.id, lease(clock));
    const failed = await addTask(layout, clock, { max_attempts: 1 });
    const c = await claimTask(layout, failed.id, lease(clock));
    if (!c.ok) throw new Error(c.reason);
    await failTask(layout, failed.id, c.token, { error: 'boom', retry: false, backoffSeconds: 0 });
    const cancelled = await addTask(layout, clock);
    await cancelTask(layout, cancelled.id, { reason: 'not needed', by: 'alice' });
    const plain = await finished(layout, clock);
    const staged: Record<string, Task> = {};
    for (const stage of ['in_review', 'changes_requested', 'approved', 'merging', 'merged'] as const)
      staged[stage] = await finished(layout, clock, stage);

    const lifecycleOf = async (t: Task) => taskLifecycle(await findTask(layout, t.id));
    expect(await lifecycleOf(queued)).toBe('queued');
    expect(await lifecycleOf(working)).toBe('working');
    expect(await lifecycleOf(failed)).toBe('failed');
    expect(await lifecycleOf(cancelled)).toBe('cancelled');
    expect(await lifecycleOf(plain)).toBe('finished');
    for (const [stage, t] of Object.entries(staged)) expect(await lifecycleOf(t)).toBe(stage);
    expect(staged.in_review!.stage_at).toBe('2026-03-01T10:00:00Z');

    expect((await queueStatus(layout)).byLifecycle).toEqual({
      queued: 1,
      working: 1,
      in_review: 1,
      changes_requested: 1,
      approved: 1,
      merging: 1,
      merged: 1,
      split: 0,
      finished: 1,
      failed: 1,
      cancelled: 1,
    });
  });

  it('old task files without a stage still load and count as finished, in both formats', async () => {
    const layout = tempLayout();
    writeRaw(layout, 'done', 'TASK-a1b2c3d4.md', SEED_TASK);
    writeRaw(
      layout,
      'done',
      'TASK-00000001.md',
      '---\nid: TASK-00000001\ntitle: old\nrole: implement\nresult:\n  branch: agent/TASK-00000001\n---\nbody\n',
    );
    writeRaw(
      layout,
      'done',
      'TASK-00000002.md',
      '# [TASK-00000002] header, staged\n\nROLE: implement\nSTAGE: in_review\n\nbody\n',
    );
    const seed = await findTask(layout, 'TASK-a1b2c3d4');
    expect(seed.stage).toBeUndefined();
    expect(taskLifecycle(seed)).toBe('finished');
    expect(taskLifecycle(await findTask(layout, 'TASK-00000002'))).toBe('in_review');
    const status = await queueStatus(layout);
    expect(status.byLifecycle).toMatchObject({ finished: 2, in_review: 1 });
    expect(status.unreadable).toEqual([]);
  });

  it('the fast reader returns the stage and when a failed task was cancelled', () => {
    expect(countTask('---\nid: TASK-1\nrole: test\nstage: merged\nstage_at: 2026-03-01T10:00:00Z\n---\n')).toEqual({
      role: 'test',
      blocked_by: [],
      stage: 'merged',
    });
    expect(countTask('# [TASK-1] t\n\nROLE: test\nSTAGE: approved\n\nbody\n')).toEqual({
      role: 'test',
      blocked_by: [],
      stage: 'approved',
    });
    expect(countTask("---\nid: TASK-1\nrole: test\ncancelled_at: '2026-03-01T10:00:00Z'\n---\n")).toEqual({
      role: 'test',
      blocked_by: [],
      cancelled_at: '2026-03-01T10:00:00Z',
    });
    expect(countTask('---\nid: TASK-1\nrole: test\nstage: shipped\n---\n')).toBeUndefined(); // the full parser says why
    expect(summarizeTask('---\nid: TASK-1\nrole: test\nstage: shipped\n---\n', 'TASK-1')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\nrole: test\nstage: in_review\n---\n', 'TASK-1')).toMatchObject({
      stage: 'in_review',
    });
  });
});

describe('setTaskStage', () => {
  it('records the stage and when, only for a task in done/', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const done = await finished(layout, clock, 'in_review');
    clock.advance(60_000);
    const approved = await setTaskStage(layout, done.id, 'approved', { clock });
    expect(approved).toMatchObject({ state: 'done', stage: 'approved', stage_at: '2026-03-01T10:01:00Z' });
    clock.advance(60_000);
    const back = await setTaskStage(layout, done.id, 'changes_requested', {
      clock,
      reason: 'needs tests\nfor the parser',
    });
    expect(back.body).toMatch(/## Delivery\n- 2026-03-01T10:02:00Z changes_requested: needs tests for the parser\n$/);
    const again = await setTaskStage(layout, done.id, 'in_review', { clock, reason: 'resubmitted' });
    expect(again.body.match(/## Delivery/g)).toHaveLength(1);
    // The same stage again changes nothing.
    clock.advance(60_000);
    expect((await setTaskStage(layout, done.id, 'in_review', { clock })).stage_at).toBe('2026-03-01T10:02:00Z');

    const open = await addTask(layout, clock);
    await expect(setTaskStage(layout, open.id, 'merged')).rejects.toThrow(
      new ExitError(`${open.id} is in incoming; only a task in done can be given the stage merged`),
    );
    await expect(setTaskStage(layout, 'TASK-gone', 'merged')).rejects.toThrow(/task TASK-gone not found/);
  });
});

describe('blocked_by waits for the merge', () => {
  it('a blocker in review holds its dependent; merged or finished without a stage releases it', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const blocker = await finished(layout, clock, 'in_review');
    const dependent = await addTask(layout, clock, { title: 'dependent', blocked_by: [blocker.id] });

    expect(await claimTask(layout, dependent.id, lease(clock))).toEqual({
      ok: false,
      reason: `${dependent.id} waits for ${blocker.id} to be merged (in review)`,
    });
    expect(await claimNext(layout, { ...lease(clock), role: 'implement' })).toEqual({
      ok: false,
      reason: `no claimable task for role implement (1 waits for ${blocker.id} to be merged (in review))`,
    });
    expect(claimableSummary(layout, { clock, wanted: { implement: 1 } })).toMatchObject({
      claimable: { implement: 0 },
      waiting: {
        implement: `no claimable task for role implement (1 waits for ${blocker.id} to be merged (in review))`,
      },
    });

    await setTaskStage(layout, blocker.id, 'approved', { clock });
    expect(await claimTask(layout, dependent.id, lease(clock))).toEqual({
      ok: false,
      reason: `${dependent.id} waits for ${blocker.id} to be merged (approved)`,
    });

    await setTaskStage(layout, blocker.id, 'merged', { clock });
    expect(claimableSummary(layout, { clock, wanted: { implement: 1 } }).claimable).toEqual({ implement: 1 });
    const claimed = await claimNext(layout, { ...lease(clock), role: 'implement' });
    expect(claimed).toMatchObject({ ok: true, task: { id: dependent.id } });
  });

  it('a blocker that finished without a branch to merge releases its dependent at once', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const blocker = await finished(layout, clock);
    const dependent = await addTask(layout, clock, { blocked_by: [blocker.id] });
    expect(await claimTask(layout, dependent.id, lease(clock))).toMatchObject({ ok: true });
  });

  it('says which blockers are not done and which wait for their merge', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const open = await addTask(layout, clock, { title: 'open blocker', role: 'test' });
    const review = await finished(layout, clock, 'changes_requested');
    const dependent = await addTask(layout, clock, { blocked_by: [open.id, review.id] });
    expect(await claimTask(layout, dependent.id, lease(clock))).toEqual({
      ok: false,
      reason: `${dependent.id} is blocked by ${open.id}; waits for ${review.id} to be merged (changes requested)`,
    });
    expect(await claimNext(layout, { ...lease(clock), role: 'implement' })).toEqual({
      ok: false,
      reason: `no claimable task for role implement (1 blocked by ${open.id})`,
    });
  });
});
