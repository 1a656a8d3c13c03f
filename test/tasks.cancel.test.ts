import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimNext } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { LeaseLostError } from '../src/tasks/lease.js';
import { findTask } from '../src/tasks/list.js';
import { retryFailed, retryTask } from '../src/tasks/retry.js';
import { addTask, tempLayout } from './fixtures/tasks/project.js';

describe('cancelTask', () => {
  it('moves an incoming task to failed, marked cancelled with the reason', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-02-02T02:02:02Z');
    const task = await addTask(layout, clock);
    const t = await cancelTask(layout, task.id, { reason: 'duplicate of TASK-1', by: 'alice', clock });
    expect(t).toMatchObject({
      state: 'failed',
      cancelled_at: '2026-02-02T02:02:02Z',
      error: 'cancelled: duplicate of TASK-1 (by alice)',
    });
  });

  it('cancels a claimed task; its runner then finds its lease gone', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    const r = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 60, clock });
    if (!r.ok) throw new Error(r.reason);
    const t = await cancelTask(layout, task.id, { reason: 'wrong approach', by: 'bob', clock });
    expect(t.lease).toBeUndefined();
    await expect(completeTask(layout, task.id, r.token, { result: {} })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('refuses done and failed tasks, and an empty reason', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    await expect(cancelTask(layout, task.id, { reason: ' ', by: 'me' })).rejects.toThrow(
      `cancel ${task.id}: give a reason`,
    );
    await cancelTask(layout, task.id, { reason: 'x', by: 'me' });
    await expect(cancelTask(layout, task.id, { reason: 'again', by: 'me' })).rejects.toThrow(
      `${task.id} is in failed; only a task in incoming or claimed can be cancelled`,
    );
  });
});

describe('retry', () => {
  it('retryTask: failed → incoming with attempts reset', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    await expect(retryTask(layout, task.id)).rejects.toThrow(
      `${task.id} is in incoming; only a task in failed can be retried`,
    );
    await cancelTask(layout, task.id, { reason: 'x', by: 'me' });
    const t = await retryTask(layout, task.id);
    expect(t).toMatchObject({ state: 'incoming', attempts: 0 });
    expect(t.cancelled_at).toBeUndefined();
    expect((await claimNext(layout, { role: 'implement', holder: 'h', leaseSeconds: 60, clock })).ok).toBe(true);
  });

  it('retryFailed: every failed task, cancelled ones only when asked', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const failed = await addTask(layout, clock, { max_attempts: 1 });
    const r = await claimNext(layout, { role: 'implement', holder: 'h', leaseSeconds: 60, clock });
    if (!r.ok) throw new Error(r.reason);
    const { failTask } = await import('../src/tasks/fail.js');
    await failTask(layout, failed.id, r.token, { error: 'boom', retry: true, backoffSeconds: 10, clock });
    const cancelled = await addTask(layout, clock);
    await cancelTask(layout, cancelled.id, { reason: 'no', by: 'me' });
    expect((await retryFailed(layout)).map((t) => t.id)).toEqual([failed.id]);
    expect(await findTask(layout, failed.id)).toMatchObject({ state: 'incoming', attempts: 0, error: 'boom' });
    expect((await findTask(layout, cancelled.id)).state).toBe('failed');
    expect((await retryFailed(layout, { includeCancelled: true })).map((t) => t.id)).toEqual([cancelled.id]);
  });
});
