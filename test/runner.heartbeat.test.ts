import { describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../src/core/clock.js';
import { layoutFor } from '../src/core/paths.js';
import { currentProcessIdentity } from '../src/core/processInfo.js';
import { startHeartbeat } from '../src/runner/heartbeat.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimNext } from '../src/tasks/claim.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import type { LeaseLostError } from '../src/tasks/lease.js';
import { findTask } from '../src/tasks/list.js';
import { waitFor } from './helpers/fleet.js';
import { tempDir } from './helpers/tmp.js';

describe('the runner heartbeat', () => {
  it('records the runner in the lease at once, and pushes the expiry forward', async () => {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    await enqueueTask(layout, { title: 'Work', role: 'implement', created_by: 'test' }, { clock });
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 300, clock });
    if (!claim.ok) throw new Error(claim.reason);
    const me = await currentProcessIdentity();
    clock.advance(120_000);
    const beat = startHeartbeat({
      layout,
      taskId: claim.task.id,
      token: claim.token,
      leaseSeconds: 300,
      clock,
      runner: me,
      onLost: () => undefined,
    });
    try {
      const renewed = await waitFor('the first renewal', async () =>
        (await findTask(layout, claim.task.id)).lease?.renewed_at ? findTask(layout, claim.task.id) : undefined,
      );
      expect(renewed.lease).toMatchObject({
        holder: 'impl-1',
        pid: me.pid,
        pid_start: me.start,
        renewed_at: '2026-03-10T12:02:00Z',
        expires_at: '2026-03-10T12:07:00Z',
      });
    } finally {
      await beat.stop();
    }
  });

  it('says once that the lease is lost when the task was cancelled under it', async () => {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    await enqueueTask(layout, { title: 'Work', role: 'implement', created_by: 'test' }, { clock });
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 300, clock });
    if (!claim.ok) throw new Error(claim.reason);
    await cancelTask(layout, claim.task.id, { reason: 'not needed', by: 'alice', clock });
    const lost: LeaseLostError[] = [];
    const beat = startHeartbeat({
      layout,
      taskId: claim.task.id,
      token: claim.token,
      leaseSeconds: 300,
      clock,
      runner: await currentProcessIdentity(),
      onLost: (e) => lost.push(e),
    });
    await waitFor('the lease to be reported lost', () => beat.lost);
    await beat.stop();
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toBe(`${claim.task.id}: lease lost (the task is in failed, no longer claimed)`);
  });

  it('notices a cancel within the watch interval, long before the next renewal', async () => {
    const layout = layoutFor(tempDir());
    await enqueueTask(layout, { title: 'Work', role: 'implement', created_by: 'test' });
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 300 });
    if (!claim.ok) throw new Error(claim.reason);
    const lost: LeaseLostError[] = [];
    // Renewals every 100 s: only the watch can see the cancel in time.
    const beat = startHeartbeat({
      layout,
      taskId: claim.task.id,
      token: claim.token,
      leaseSeconds: 300,
      clock: systemClock,
      runner: await currentProcessIdentity(),
      onLost: (e) => lost.push(e),
      watchMs: 50,
    });
    try {
      await waitFor('the first renewal', async () => (await findTask(layout, claim.task.id)).lease?.renewed_at);
      await cancelTask(layout, claim.task.id, { reason: 'not needed', by: 'alice' });
      await waitFor('the cancel to be noticed', () => beat.lost, 5_000);
      expect(lost.map((e) => e.message)).toEqual([
        `${claim.task.id}: lease lost (the task is in failed, no longer claimed)`,
      ]);
    } finally {
      await beat.stop();
    }
  });

  it('does not mistake its own renewals for a change of holder', async () => {
    const layout = layoutFor(tempDir());
    await enqueueTask(layout, { title: 'Work', role: 'implement', created_by: 'test' });
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 3 });
    if (!claim.ok) throw new Error(claim.reason);
    const lost: LeaseLostError[] = [];
    const beat = startHeartbeat({
      layout,
      taskId: claim.task.id,
      token: claim.token,
      leaseSeconds: 3,
      clock: systemClock,
      runner: await currentProcessIdentity(),
      onLost: (e) => lost.push(e),
      watchMs: 20,
    });
    try {
      const first = await waitFor(
        'the first renewal',
        async () => (await findTask(layout, claim.task.id)).lease?.renewed_at,
      );
      // Renewed every second: wait for two more beats, each rewriting the file the watch looks at.
      await waitFor(
        'two more renewals',
        async () => {
          const t = await findTask(layout, claim.task.id);
          return Date.parse(t.lease!.renewed_at!) >= Date.parse(first) + 2_000 || undefined;
        },
        10_000,
      );
      expect(lost).toEqual([]);
      expect(beat.lost).toBeUndefined();
    } finally {
      await beat.stop();
    }
  });
});
