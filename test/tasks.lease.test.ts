import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { ExitError, InternalError, isKnownError } from '../src/core/errors.js';
import type { Layout } from '../src/core/paths.js';
import { claimNext } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { failTask } from '../src/tasks/fail.js';
import { LeaseLostError } from '../src/tasks/lease.js';
import { findTask } from '../src/tasks/list.js';
import { releaseTask } from '../src/tasks/release.js';
import { renewLease } from '../src/tasks/renew.js';
import { requeueStale } from '../src/tasks/requeue.js';
import type { Task } from '../src/tasks/task.js';
import { updateTask } from '../src/tasks/update.js';
import { addTask, namesIn, readRaw, tempLayout } from './fixtures/tasks/project.js';

async function claimed(layout: Layout, clock: FakeClock, holder = 'impl-1'): Promise<{ task: Task; token: string }> {
  const r = await claimNext(layout, { role: 'implement', holder, leaseSeconds: 600, clock });
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('fencing: only the current token moves a claimed task', () => {
  it('a runner whose task was reclaimed cannot complete, fail, release, renew or edit it', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    const first = await claimed(layout, clock, 'impl-1');
    clock.advance(601_000);
    await requeueStale(layout, { clock, backoffSeconds: 1 });
    clock.advance(60_000);
    const second = await claimed(layout, clock, 'impl-2');
    expect(second.task.id).toBe(task.id);
    const lost = `${task.id}: lease lost (token does not match; impl-2 holds it now)`;
    await expect(completeTask(layout, task.id, first.token, { result: {} })).rejects.toThrow(lost);
    await expect(
      failTask(layout, task.id, first.token, { error: 'x', retry: true, backoffSeconds: 1 }),
    ).rejects.toThrow(lost);
    await expect(releaseTask(layout, task.id, first.token)).rejects.toThrow(lost);
    await expect(renewLease(layout, task.id, first.token, { leaseSeconds: 600, clock })).rejects.toThrow(lost);
    await expect(
      updateTask(
        layout,
        task.id,
        (t) => {
          t.wip_branch = 'x';
        },
        { token: first.token },
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect((await findTask(layout, task.id)).lease?.holder).toBe('impl-2');
    // The current holder still can.
    const done = await completeTask(layout, task.id, second.token, { result: { branch: 'agent/x' } });
    expect(done.state).toBe('done');
  });

  it('a task that left claimed/ is a lost lease, an InternalError the runner can catch and the CLI shows as one line', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    await addTask(layout, clock);
    const { task, token } = await claimed(layout, clock);
    await completeTask(layout, task.id, token, { result: {} });
    const err = await completeTask(layout, task.id, token, { result: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect(err).toBeInstanceOf(InternalError);
    expect(err).not.toBeInstanceOf(ExitError);
    expect(isKnownError(err)).toBe(true);
    expect((err as Error).message).toBe(`${task.id}: lease lost (the task is in done, no longer claimed)`);
    await expect(renewLease(layout, 'TASK-ffffffff', token, { leaseSeconds: 60, clock })).rejects.toThrow(
      'TASK-ffffffff: lease lost (task TASK-ffffffff not found',
    );
  });
});

describe('renewLease', () => {
  it('moves the expiry forward and records the runner process', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    await addTask(layout, clock);
    const { task, token } = await claimed(layout, clock);
    clock.advance(120_000);
    const renewed = await renewLease(layout, task.id, token, {
      leaseSeconds: 600,
      clock,
      runner: { pid: 4242, start: '987' },
    });
    expect(renewed.lease).toMatchObject({
      token,
      expires_at: '2026-01-01T00:12:00Z',
      renewed_at: '2026-01-01T00:02:00Z',
      pid: 4242,
      pid_start: '987',
    });
  });
});

describe('completeTask', () => {
  it('moves to done with the result and appends the handoff, leaving the body above it untouched', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const before = await addTask(layout, clock, { context: 'Why.', acceptance: ['works'] });
    const { token } = await claimed(layout, clock);
    const result = { branch: 'agent/TASK-x', pr: 12, cost_usd: 0.42, tokens: 1234, turns: 7, duration_ms: 61_000 };
    const done = await completeTask(layout, before.id, token, {
      result,
      handoff: 'Tests added in test/login.test.ts.\n',
    });
    expect(done.state).toBe('done');
    expect(done.result).toEqual(result);
    expect(done.lease).toBeUndefined();
    expect(done.body).toBe(`${before.body}\n## Handoff\nTests added in test/login.test.ts.\n`);
    expect(namesIn(layout, 'claimed')).toEqual([]);
    expect(readRaw(done.file)).toContain('result:\n  branch: agent/TASK-x\n  pr: 12\n');
  });
});

describe('failTask', () => {
  it('retries with attempts + 1 and a backoff doubling per attempt, then fails past max_attempts', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const task = await addTask(layout, clock, { max_attempts: 3 });
    let c = await claimed(layout, clock);
    let t = await failTask(layout, task.id, c.token, { error: 'tests fail', retry: true, backoffSeconds: 60, clock });
    expect(t).toMatchObject({
      state: 'incoming',
      attempts: 1,
      error: 'tests fail',
      not_before: '2026-01-01T00:01:00Z',
    });
    expect(t.lease).toBeUndefined();
    clock.set('2026-01-01T00:01:00Z');
    c = await claimed(layout, clock);
    t = await failTask(layout, task.id, c.token, { error: 'still failing', retry: true, backoffSeconds: 60, clock });
    expect(t).toMatchObject({ state: 'incoming', attempts: 2, not_before: '2026-01-01T00:03:00Z' });
    clock.set('2026-01-01T00:03:00Z');
    c = await claimed(layout, clock);
    t = await failTask(layout, task.id, c.token, { error: 'gave up', retry: true, backoffSeconds: 60, clock });
    expect(t).toMatchObject({ state: 'failed', attempts: 3, error: 'gave up' });
    expect(t.not_before).toBeUndefined();
  });

  it('goes straight to failed when retry is false', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    await addTask(layout, clock);
    const { task, token } = await claimed(layout, clock);
    const t = await failTask(layout, task.id, token, { error: 'not fixable', retry: false, backoffSeconds: 60, clock });
    expect(t).toMatchObject({ state: 'failed', attempts: 1, error: 'not fixable' });
  });
});

describe('releaseTask', () => {
  it('returns the task to incoming without charging an attempt', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    await addTask(layout, clock);
    const { task, token } = await claimed(layout, clock);
    const t = await releaseTask(layout, task.id, token, { notBefore: '2026-01-01T05:00:00Z', note: 'usage limit' });
    expect(t).toMatchObject({
      state: 'incoming',
      attempts: 0,
      not_before: '2026-01-01T05:00:00Z',
      error: 'released: usage limit',
    });
    expect(t.lease).toBeUndefined();
    await expect(releaseTask(layout, task.id, token, { notBefore: 'later' })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('refuses a not_before that is not a time', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    await addTask(layout, clock);
    const { task, token } = await claimed(layout, clock);
    await expect(releaseTask(layout, task.id, token, { notBefore: 'later' })).rejects.toThrow(
      /refusing to write an invalid task .*not_before must be an ISO time/,
    );
    expect((await findTask(layout, task.id)).state).toBe('claimed');
  });
});

describe('updateTask', () => {
  it('edits in place in any folder, and cannot change the id', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    const { token } = await claimed(layout, clock);
    const t = await updateTask(
      layout,
      task.id,
      (x) => {
        x.wip_branch = 'wip/TASK-1';
      },
      { token },
    );
    expect(t).toMatchObject({ state: 'claimed', wip_branch: 'wip/TASK-1' });
    expect(readRaw(t.file)).toMatch(/wip_branch: wip\/TASK-1\n---\n/);
    await expect(updateTask(layout, task.id, (x) => ({ ...x, id: 'TASK-other' }))).rejects.toThrow(
      `${task.id}: an update cannot change the id (got TASK-other)`,
    );
    await expect(updateTask(layout, task.id, (x) => ({ ...x, priority: 'P7' as 'P0' }))).rejects.toThrow(
      /refusing to write an invalid task .*priority must be one of/,
    );
  });
});
