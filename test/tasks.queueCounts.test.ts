import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimNext } from '../src/tasks/claim.js';
import { claimableSummary } from '../src/tasks/claimable.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { updateTask } from '../src/tasks/update.js';
import { addTask, HAND_WRITTEN, SEED_TASK, tempLayout, writeRaw } from './fixtures/tasks/project.js';

describe('queueStatus', () => {
  it('counts per state, per role and per state × role, with quarantine and dependency problems', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const a = await addTask(layout, clock);
    await addTask(layout, clock, { role: 'test', blocked_by: [a.id] });
    await addTask(layout, clock, { role: 'test' });
    const c = await addTask(layout, clock, { role: 'review' });
    await cancelTask(layout, c.id, { reason: 'x', by: 'me' });
    writeRaw(layout, 'incoming', 'TASK-a1b2c3d4.md', SEED_TASK);
    writeRaw(layout, 'done', 'TASK-0000beef.md', HAND_WRITTEN);
    writeRaw(layout, 'quarantine', 'TASK-00000001.md', 'junk');
    await updateTask(layout, a.id, (t) => {
      t.blocked_by = ['TASK-gone'];
    });
    const r = await claimNext(layout, { role: 'test', holder: 'h', leaseSeconds: 60, clock });
    expect(r.ok).toBe(true);

    const status = await queueStatus(layout);
    expect(status.counts).toEqual({ incoming: 3, claimed: 1, done: 1, failed: 1 });
    expect(status.byRole).toEqual({ implement: 2, test: 3, review: 1 });
    expect(status.byStateAndRole).toEqual({
      incoming: { implement: 2, test: 1 },
      claimed: { test: 1 },
      done: { test: 1 },
      failed: { review: 1 },
    });
    expect(status.quarantined).toBe(1);
    expect(status.unreadable).toEqual([]);
    expect(status.dependencyProblems.map((p) => p.message)).toEqual([
      `${a.id} is blocked by TASK-gone, which is not a known task`,
    ]);
  });

  it('reads files the scan cannot (complex YAML) with the full parser, and reports unreadable ones without moving them', async () => {
    const layout = tempLayout();
    writeRaw(layout, 'incoming', 'TASK-00000002.md', '---\nid: TASK-00000002\ntitle: t\nrole: &r implement\n---\n');
    writeRaw(
      layout,
      'claimed',
      'TASK-00000003.md',
      `---\nid: TASK-00000003\ntitle: t\nnote: "${'x'.repeat(5000)}"\nrole: review\n---\n`,
    );
    const broken = writeRaw(layout, 'failed', 'TASK-00000004.md', '---\nid: TASK-00000004\ntitle: t\n---\n');
    const status = await queueStatus(layout);
    expect(status.counts).toEqual({ incoming: 1, claimed: 1, done: 0, failed: 1 });
    expect(status.byStateAndRole).toEqual({ incoming: { implement: 1 }, claimed: { review: 1 }, done: {}, failed: {} });
    expect(status.unreadable).toEqual([
      { file: broken, state: 'failed', reason: `${broken}: role is missing (every task needs id, title and role)` },
    ]);
    expect(status.quarantined).toBe(0);
  });
});

describe('claimableSummary', () => {
  it('counts claimable tasks per role and says why a role has none', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const a = await addTask(layout, clock);
    await addTask(layout, clock);
    await addTask(layout, clock, { role: 'test', blocked_by: [a.id] });
    expect(claimableSummary(layout, { clock, wanted: { implement: 5, test: 1, review: 1 } })).toEqual({
      incoming: 3,
      claimed: 0,
      claimable: { implement: 2, test: 0, review: 0 },
      waiting: {
        test: `no claimable task for role test (1 blocked by ${a.id})`,
        review: 'no claimable task for role review (none in incoming)',
      },
    });
  });

  it('stops counting a role at the number of agents that could take its tasks, and reads nothing for no role', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) await addTask(layout, clock);
    expect(claimableSummary(layout, { clock, wanted: { implement: 2 } }).claimable).toEqual({ implement: 2 });
    expect(claimableSummary(layout, { clock, wanted: {} })).toEqual({
      incoming: 5,
      claimed: 0,
      claimable: {},
      waiting: {},
    });
  });
});
