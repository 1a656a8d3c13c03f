import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { claimNext, claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { updateTask } from '../src/tasks/update.js';
import { addTask, namesIn, SEED_TASK, tempLayout, writeRaw } from './fixtures/tasks/project.js';

const claimOpts = (clock: FakeClock) => ({ role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });

describe('claimNext', () => {
  it('claims in order: expedite, then priority, then age, then id', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const old = await addTask(layout, clock, { title: 'old P2' });
    clock.advance(1000);
    const newer = await addTask(layout, clock, { title: 'newer P2' });
    const p1 = await addTask(layout, clock, { title: 'P1', priority: 'P1' });
    const p3 = await addTask(layout, clock, { title: 'P3 expedite', priority: 'P3', expedite: true });
    const p0 = await addTask(layout, clock, { title: 'P0', priority: 'P0' });
    const other = await addTask(layout, clock, { title: 'a test task', role: 'test', priority: 'P0' });
    const order: string[] = [];
    for (;;) {
      const r = await claimNext(layout, claimOpts(clock));
      if (!r.ok) {
        expect(r.reason).toBe('no claimable task for role implement (none in incoming)');
        break;
      }
      order.push(r.task.id);
    }
    expect(order).toEqual([p3.id, p0.id, p1.id, old.id, newer.id]);
    expect(namesIn(layout, 'incoming')).toEqual([`${other.id}.md`]);
  });

  it('writes a lease with holder, token and expiry and moves the file to claimed/', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const task = await addTask(layout, clock);
    const r = await claimNext(layout, claimOpts(clock));
    if (!r.ok) throw new Error(r.reason);
    expect(r.task.state).toBe('claimed');
    expect(r.task.lease).toEqual({
      holder: 'impl-1',
      token: r.token,
      acquired_at: '2026-03-01T10:00:00Z',
      expires_at: '2026-03-01T10:10:00Z',
    });
    expect(r.token).toMatch(/^[\w-]{21}$/);
    expect(namesIn(layout, 'incoming')).toEqual([]);
    expect(namesIn(layout, 'claimed')).toEqual([`${task.id}.md`]);
    expect((await findTask(layout, task.id)).lease?.token).toBe(r.token);
  });

  it('skips tasks blocked by tasks not yet done, and says why', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const first = await addTask(layout, clock, { role: 'test' });
    const second = await addTask(layout, clock, { blocked_by: [first.id] });
    const r = await claimNext(layout, claimOpts(clock));
    expect(r).toEqual({ ok: false, reason: `no claimable task for role implement (1 blocked by ${first.id})` });
    const c = await claimNext(layout, { ...claimOpts(clock), role: 'test' });
    if (!c.ok) throw new Error(c.reason);
    await completeTask(layout, first.id, c.token, { result: {} });
    const again = await claimNext(layout, claimOpts(clock));
    expect(again.ok && again.task.id).toBe(second.id);
  });

  it('waits for not_before (retry backoff) and names the earliest time', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const task = await addTask(layout, clock);
    await updateTask(layout, task.id, (t) => {
      t.not_before = '2026-01-01T00:05:00Z';
    });
    expect(await claimNext(layout, claimOpts(clock))).toEqual({
      ok: false,
      reason: 'no claimable task for role implement (1 waiting until 2026-01-01T00:05:00Z)',
    });
    clock.advance(5 * 60_000);
    const r = await claimNext(layout, claimOpts(clock));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.task.not_before).toBeUndefined();
  });

  it('claims a seed-format task and keeps it in that format', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const file = writeRaw(layout, 'incoming', 'TASK-a1b2c3d4.md', SEED_TASK);
    const r = await claimNext(layout, claimOpts(clock));
    if (!r.ok) throw new Error(r.reason);
    expect(r.task.id).toBe('TASK-a1b2c3d4');
    expect(r.task.file).toBe(file.replace('incoming', 'claimed'));
    expect(readFileSync(r.task.file, 'utf8')).toContain(
      `CREATED_BY: pm-agent\nLEASE: {"holder":"impl-1","token":"${r.token}"`,
    );
  });
});

describe('a process that claims many times', () => {
  it('sees a task edited in place since its last claim', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const first = await addTask(layout, clock, { title: 'first' });
    clock.advance(1000);
    await addTask(layout, clock, { title: 'second' });
    clock.advance(1000);
    const late = await addTask(layout, clock, { title: 'third' });
    const r1 = await claimNext(layout, claimOpts(clock));
    expect(r1.ok && r1.task.id).toBe(first.id);
    // An editor saving over the same file (same inode), as a person raising the priority would.
    writeFileSync(late.file, readFileSync(late.file, 'utf8').replace('priority: P2', 'priority: P0'));
    const r = await claimNext(layout, claimOpts(clock));
    expect(r.ok && r.task.id).toBe(late.id);
  });
});

describe('backpressure, checked under the claim lock', () => {
  it('stops at max_claimed', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++) await addTask(layout, clock);
    const limits = { maxClaimed: 2 };
    expect((await claimNext(layout, { ...claimOpts(clock), limits })).ok).toBe(true);
    expect((await claimNext(layout, { ...claimOpts(clock), limits })).ok).toBe(true);
    expect(await claimNext(layout, { ...claimOpts(clock), limits })).toEqual({ ok: false, reason: 'max_claimed 2/2' });
  });

  it('stops at max_open_prs, and an unreadable PR count blocks instead of reading as zero', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    await addTask(layout, clock);
    const full = { maxOpenPrs: 3, openPrs: async () => 3 };
    expect(await claimNext(layout, { ...claimOpts(clock), limits: full })).toEqual({
      ok: false,
      reason: 'max_open_prs 3/3',
    });
    const broken = {
      maxOpenPrs: 3,
      openPrs: async (): Promise<number> => {
        throw new Error('gh: not logged in\nrun gh auth login');
      },
    };
    expect(await claimNext(layout, { ...claimOpts(clock), limits: broken })).toEqual({
      ok: false,
      reason: 'open PRs unreadable: gh: not logged in',
    });
    expect(
      await claimNext(layout, { ...claimOpts(clock), limits: { maxOpenPrs: 3, openPrs: async () => Number.NaN } }),
    ).toEqual({
      ok: false,
      reason: 'open PRs unreadable: got null instead of a count',
    });
    expect(await claimNext(layout, { ...claimOpts(clock), limits: { maxOpenPrs: 3 } })).toEqual({
      ok: false,
      reason: 'open PRs unreadable: no way to count them was configured',
    });
    expect(namesIn(layout, 'claimed')).toEqual([]);
    expect(
      (await claimNext(layout, { ...claimOpts(clock), limits: { maxOpenPrs: 3, openPrs: async () => 2 } })).ok,
    ).toBe(true);
  });
});

describe('claimTask', () => {
  it('claims one task by id, refusing blocked, waiting, other-role and non-incoming tasks', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const a = await addTask(layout, clock);
    const b = await addTask(layout, clock, { blocked_by: [a.id] });
    expect(await claimTask(layout, b.id, claimOpts(clock))).toEqual({
      ok: false,
      reason: `${b.id} is blocked by ${a.id}`,
    });
    expect(await claimTask(layout, a.id, { ...claimOpts(clock), role: 'review' })).toEqual({
      ok: false,
      reason: `${a.id} has role implement, not review`,
    });
    const r = await claimTask(layout, a.id, claimOpts(clock));
    expect(r.ok && r.task.id).toBe(a.id);
    await expect(claimTask(layout, a.id, claimOpts(clock))).rejects.toThrow(
      `${a.id} is in claimed; only a task in incoming can be claimed`,
    );
    await expect(claimTask(layout, 'TASK-ffffffff', claimOpts(clock))).rejects.toThrow(
      'task TASK-ffffffff not found in incoming, claimed, done, failed',
    );
  });
});

describe('a broken file does not stop the claim', () => {
  it('quarantines it and claims the next task', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    writeRaw(
      layout,
      'incoming',
      'TASK-00000000.md',
      '---\nid: TASK-00000000\ntitle: [unclosed\nrole: implement\n---\n',
    );
    const good = await addTask(layout, clock);
    const r = await claimNext(layout, claimOpts(clock));
    expect(r.ok && r.task.id).toBe(good.id);
    expect(namesIn(layout, 'quarantine')).toEqual(['TASK-00000000.md', 'TASK-00000000.md.reason']);
    expect((await listTasks(layout)).problems).toEqual([]);
  });
});
