import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { cancelTask, claimNext, claimableSummary, parseTask, queueStatus, updateTask } from '../src/tasks/index.js';
import { quickScan } from '../src/tasks/quickScan.js';
import { summarizeTask } from '../src/tasks/scan.js';
import { HAND_WRITTEN, SEED_TASK, addTask, tempLayout, writeRaw } from './fixtures/tasks/project.js';

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
    await updateTask(layout, a.id, (t) => { t.blocked_by = ['TASK-gone']; });
    const r = await claimNext(layout, { role: 'test', holder: 'h', leaseSeconds: 60, clock });
    expect(r.ok).toBe(true);

    const status = await queueStatus(layout);
    expect(status.counts).toEqual({ incoming: 3, claimed: 1, done: 1, failed: 1 });
    expect(status.byRole).toEqual({ implement: 2, test: 3, review: 1 });
    expect(status.byStateAndRole).toEqual({ incoming: { implement: 2, test: 1 }, claimed: { test: 1 }, done: { test: 1 }, failed: { review: 1 } });
    expect(status.quarantined).toBe(1);
    expect(status.unreadable).toEqual([]);
    expect(status.dependencyProblems.map((p) => p.message)).toEqual([`${a.id} is blocked by TASK-gone, which is not a known task`]);
  });

  it('reads files the scan cannot (complex YAML) with the full parser, and reports unreadable ones without moving them', async () => {
    const layout = tempLayout();
    writeRaw(layout, 'incoming', 'TASK-00000002.md', '---\nid: TASK-00000002\ntitle: t\nrole: &r implement\n---\n');
    writeRaw(layout, 'claimed', 'TASK-00000003.md', `---\nid: TASK-00000003\ntitle: t\nnote: "${'x'.repeat(5000)}"\nrole: review\n---\n`);
    const broken = writeRaw(layout, 'failed', 'TASK-00000004.md', '---\nid: TASK-00000004\ntitle: t\n---\n');
    const status = await queueStatus(layout);
    expect(status.counts).toEqual({ incoming: 1, claimed: 1, done: 0, failed: 1 });
    expect(status.byStateAndRole).toEqual({ incoming: { implement: 1 }, claimed: { review: 1 }, done: {}, failed: {} });
    expect(status.unreadable).toEqual([{ file: broken, state: 'failed', reason: `${broken}: role is missing (every task needs id, title and role)` }]);
    expect(status.quarantined).toBe(0);
  });
});

describe('the light scan agrees with the full parser', () => {
  const variants: string[] = [
    SEED_TASK,
    HAND_WRITTEN,
    '---\nid: TASK-1\ntitle: t\nrole: "implement"\npriority: \'P0\'\nexpedite: true\ncreated: 2026-01-01T00:00:00Z\nblocked_by:\n  - TASK-2\n  - "TASK-3"\n---\n',
    '---\nid: TASK-1\ntitle: t\nrole: test # comment\nblocked_by: [TASK-2, TASK-3]   # two\nnot_before: 2026-01-01T00:00:00Z\n---\nbody\n',
    '---\nid: TASK-1\ntitle: t\nrole: test\nexpedite: True\nlease:\n  holder: h\n  token: t\n  expires_at: 2026-01-01T00:00:00Z\n---\n',
    '---\nid: TASK-1\ntitle: >\n  folded\nrole: review\nblocked_by: ~\n---\n',
  ];
  it.each(variants.map((v, i) => [i, v] as const))('variant %i', (_i, text) => {
    const id = text.startsWith('# [') ? 'TASK-a1b2c3d4' : text.includes('TASK-0000beef') ? 'TASK-0000beef' : 'TASK-1';
    const full = parseTask(text, path.join('/q/incoming', `${id}.md`), 'incoming');
    const light = summarizeTask(text, id);
    expect(light).toEqual({ id, role: full.role, priority: full.priority, expedite: full.expedite, created: full.created, not_before: full.not_before, blocked_by: full.blocked_by });
    // The quick scan may decline (then the general scan runs), but when it answers it agrees.
    const quick = quickScan(text, true);
    if (quick) expect(quick).toEqual({ role: full.role, blocked_by: full.blocked_by });
  });

  it('the quick scan answers for the usual files and declines what it cannot be sure of', () => {
    expect(quickScan(SEED_TASK, true)).toEqual({ role: 'implement', blocked_by: [] });
    expect(quickScan(HAND_WRITTEN, true)).toEqual({ role: 'test', blocked_by: [] });
    expect(quickScan('---\nid: TASK-1\nrole: "review"  # why\nblocked_by:\n  - TASK-2\n  - TASK-3\nlease:\n  holder: h\n---\n', true)).toEqual({ role: 'review', blocked_by: ['TASK-2', 'TASK-3'] });
    expect(quickScan('# [TASK-1] t\n\nROLE: test\nBLOCKED_BY: ["TASK-2"]\n', true)).toEqual({ role: 'test', blocked_by: ['TASK-2'] });
    expect(quickScan('# [TASK-1] t\n\nROLE: test\nBLOCKED_BY: ["TASK-2"]\n', false)).toBeUndefined(); // the header may go on
    expect(quickScan('---\nid: TASK-1\nrole: test\n', false)).toBeUndefined(); // no closing line yet
    expect(quickScan('---\r\nid: TASK-1\r\nrole: test\r\n---\r\n', true)).toBeUndefined();
    expect(quickScan('---\nrole: a\nrole: b\n---\n', true)).toBeUndefined();
    expect(quickScan('---\nrole: &x a\n---\n', true)).toBeUndefined();
    expect(quickScan('---\nrole: a\nblocked_by: [[x]]\n---\n', true)).toBeUndefined();
  });

  it.each([
    ['an anchor', '---\nid: TASK-1\ntitle: t\nrole: &a x\n---\n'],
    ['a multi-line plain value', '---\nid: TASK-1\ntitle: t\nrole: a\n  b\n---\n'],
    ['a duplicate key', '---\nid: TASK-1\ntitle: t\nrole: a\nrole: b\n---\n'],
    ['an escaped string', '---\nid: TASK-1\ntitle: t\nrole: "a\\tb"\n---\n'],
    ['a nested list', '---\nid: TASK-1\ntitle: t\nrole: x\nblocked_by: [[a]]\n---\n'],
    ['no closing line', '---\nid: TASK-1\ntitle: t\nrole: x\n'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(summarizeTask(text, 'TASK-1')).toBeUndefined();
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
      waiting: { test: `no claimable task for role test (1 blocked by ${a.id})`, review: 'no claimable task for role review (none in incoming)' },
    });
  });

  it('stops counting a role at the number of agents that could take its tasks, and reads nothing for no role', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) await addTask(layout, clock);
    expect(claimableSummary(layout, { clock, wanted: { implement: 2 } }).claimable).toEqual({ implement: 2 });
    expect(claimableSummary(layout, { clock, wanted: {} })).toEqual({ incoming: 5, claimed: 0, claimable: {}, waiting: {} });
  });
});
