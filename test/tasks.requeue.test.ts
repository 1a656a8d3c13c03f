import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { currentProcessIdentity } from '../src/core/processInfo.js';
import { claimNext } from '../src/tasks/claim.js';
import { findTask } from '../src/tasks/list.js';
import { renewLease } from '../src/tasks/renew.js';
import { requeueStale } from '../src/tasks/requeue.js';
import type { Task } from '../src/tasks/task.js';
import { addTask, tempLayout } from './fixtures/tasks/project.js';

async function claimedWithRunner(
  layout: Layout,
  clock: FakeClock,
  runner?: { pid: number; start: string },
  maxAttempts = 3,
): Promise<{ task: Task; token: string }> {
  const task = await addTask(layout, clock, { max_attempts: maxAttempts });
  const r = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
  if (!r.ok) throw new Error(r.reason);
  if (runner) await renewLease(layout, task.id, r.token, { leaseSeconds: 600, clock, runner });
  return { task, token: r.token };
}

describe('requeueStale', () => {
  it('requeues a task whose runner pid is gone, before its lease expires', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const { task } = await claimedWithRunner(layout, clock, { pid: 999_999_999, start: '1' });
    const actions = await requeueStale(layout, { clock, backoffSeconds: 30 });
    expect(actions).toEqual([
      {
        id: task.id,
        to: 'incoming',
        attempts: 1,
        holder: 'impl-1',
        reason: 'runner impl-1 (pid 999999999) is no longer running',
      },
    ]);
    expect(await findTask(layout, task.id)).toMatchObject({
      state: 'incoming',
      attempts: 1,
      not_before: '2026-01-01T00:00:30Z',
      error: actions[0]!.reason,
    });
  });

  it('requeues a task whose pid was reused by another process (same pid, different start time)', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const me = await currentProcessIdentity();
    const { task } = await claimedWithRunner(layout, clock, { pid: me.pid, start: `${me.start}-forged` });
    const actions = await requeueStale(layout, { clock, backoffSeconds: 30 });
    expect(actions.map((a) => [a.id, a.to])).toEqual([[task.id, 'incoming']]);
    expect(actions[0]!.reason).toContain(`(pid ${me.pid}) is no longer running`);
  });

  it('requeues a task whose lease expired', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const { task } = await claimedWithRunner(layout, clock);
    clock.advance(599_000);
    expect(await requeueStale(layout, { clock, backoffSeconds: 30 })).toEqual([]);
    clock.advance(1_000);
    const actions = await requeueStale(layout, { clock, backoffSeconds: 30 });
    expect(actions).toEqual([
      {
        id: task.id,
        to: 'incoming',
        attempts: 1,
        holder: 'impl-1',
        reason: 'lease of impl-1 expired at 2026-01-01T00:10:00Z',
      },
    ]);
  });

  it('never reclaims a live runner that keeps renewing', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const me = await currentProcessIdentity();
    const { task, token } = await claimedWithRunner(layout, clock, me);
    for (let minute = 0; minute < 60; minute += 5) {
      clock.advance(5 * 60_000);
      await renewLease(layout, task.id, token, { leaseSeconds: 600, clock, runner: me });
      expect(await requeueStale(layout, { clock, backoffSeconds: 30 })).toEqual([]);
    }
    expect((await findTask(layout, task.id)).state).toBe('claimed');
  });

  it('uses the injected liveness check', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const { task } = await claimedWithRunner(layout, clock, { pid: 12345, start: 'abc' });
    const seen: unknown[] = [];
    const isAlive = async (id: { pid: number; start: string }): Promise<boolean> => {
      seen.push(id);
      return true;
    };
    expect(await requeueStale(layout, { clock, backoffSeconds: 30, isAlive })).toEqual([]);
    expect(seen).toEqual([{ pid: 12345, start: 'abc' }]);
    expect((await findTask(layout, task.id)).state).toBe('claimed');
  });

  it('fails the task once max_attempts is used up, keeping the last error', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const { task } = await claimedWithRunner(layout, clock, { pid: 999_999_999, start: '1' }, 1);
    const actions = await requeueStale(layout, { clock, backoffSeconds: 30 });
    expect(actions[0]).toMatchObject({ id: task.id, to: 'failed', attempts: 1 });
    expect(await findTask(layout, task.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: 'runner impl-1 (pid 999999999) is no longer running',
    });
  });
});
