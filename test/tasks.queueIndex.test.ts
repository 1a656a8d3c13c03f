import { readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { type Layout, taskDir } from '../src/core/paths.js';
import { claimNext } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { indexFile, loadIndex } from '../src/tasks/queueIndex/journal.js';
import { trusted } from '../src/tasks/queueIndex/refresh.js';
import { addTask, tempLayout, writeRaw } from './fixtures/tasks/project.js';

const claimOpts = (clock: FakeClock) => ({ role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
const raw = (id: string, priority = 'P2', role = 'implement') =>
  `---\nid: ${id}\ntitle: t\nrole: ${role}\npriority: ${priority}\ncreated: 2020-01-01T00:00:00Z\n---\n`;

async function claimedId(layout: Layout, clock: FakeClock): Promise<string | undefined> {
  const r = await claimNext(layout, claimOpts(clock));
  return r.ok ? r.task.id : undefined;
}

/** Three queued tasks and one claim, so the index exists and holds what the queue's own moves wrote. */
async function indexed() {
  const layout = tempLayout();
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const first = await addTask(layout, clock, { title: 'first' });
  clock.advance(1000);
  const second = await addTask(layout, clock, { title: 'second' });
  clock.advance(1000);
  const third = await addTask(layout, clock, { title: 'third' });
  expect(await claimedId(layout, clock)).toBe(first.id);
  return { layout, clock, second, third };
}

describe('the queue index follows the queue', () => {
  it("is kept current by the queue's own moves: after a claim and a completion incoming and done need no listing", async () => {
    const { layout, clock, second } = await indexed();
    const r = await claimNext(layout, claimOpts(clock));
    if (!r.ok) throw new Error(r.reason);
    await completeTask(layout, r.task.id, r.token, { result: {} });
    const loaded = loadIndex(indexFile(layout));
    if (!loaded.ok) throw new Error(loaded.why);
    const current = (['incoming', 'claimed', 'done'] as const).filter((s) =>
      trusted(loaded.model, s, taskDir(layout, s)),
    );
    expect(current).toEqual(['incoming', 'claimed', 'done']);
    expect([...loaded.model.folders.done.files.keys()]).toEqual([`${second.id}.md`]);
    expect((await queueStatus(layout)).counts).toEqual({ incoming: 1, claimed: 1, done: 1, failed: 0 });
  });

  it('sees a file dropped into incoming in the same instant as the last claim', async () => {
    const { layout, clock } = await indexed();
    writeRaw(layout, 'incoming', 'TASK-0000d00d.md', raw('TASK-0000d00d', 'P0'));
    expect(await claimedId(layout, clock)).toBe('TASK-0000d00d');
  });

  it('skips a file removed by hand right after the last claim', async () => {
    const { layout, clock, second, third } = await indexed();
    rmSync(second.file);
    expect(await claimedId(layout, clock)).toBe(third.id);
    expect(await claimedId(layout, clock)).toBeUndefined();
  });

  it('sees an editor save that replaces the file (a new inode), in the same instant', async () => {
    const { layout, clock, third } = await indexed();
    const tmp = `${third.file}.swp`;
    writeFileSync(tmp, readFileSync(third.file, 'utf8').replace('priority: P2', 'priority: P0'));
    renameSync(tmp, third.file);
    expect(await claimedId(layout, clock)).toBe(third.id);
  });

  it('corrects the entry of a chosen file edited in place in a long queue, and claims by the file', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    // More files than a claim compares one by one each time: only the chosen file is read again.
    for (let i = 0; i < 300; i++) {
      const id = `TASK-${(0x1000 + i).toString(16).padStart(8, '0')}`;
      writeRaw(layout, 'incoming', `${id}.md`, raw(id));
    }
    expect(await claimedId(layout, clock)).toBe('TASK-00001000');
    const next = path.join(taskDir(layout, 'incoming'), 'TASK-00001001.md');
    writeFileSync(next, raw('TASK-00001001', 'P2', 'test')); // in place: same inode, no folder change
    expect(await claimedId(layout, clock)).toBe('TASK-00001002');
    const loaded = loadIndex(indexFile(layout));
    if (!loaded.ok) throw new Error(loaded.why);
    expect(loaded.model.folders.incoming.files.get('TASK-00001001.md')?.s?.role).toBe('test');
  });

  it('lists a folder again when stamps are coarse and its sign is too recent to vouch for it', async () => {
    const { layout, clock } = await indexed();
    // As on a filesystem without fine timestamps: a change in the same tick as the sign would share its stamp.
    const file = indexFile(layout);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"fine":true', '"fine":false'));
    writeRaw(layout, 'incoming', 'TASK-0000d00d.md', raw('TASK-0000d00d', 'P0'));
    expect(await claimedId(layout, clock)).toBe('TASK-0000d00d');
  });

  it('sees a file dropped into done by hand: queue-status counts it and it releases its dependents', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const blocker = await addTask(layout, clock, { title: 'blocker', role: 'test' });
    const waiting = await addTask(layout, clock, { title: 'waits', blocked_by: [blocker.id] });
    expect(await claimedId(layout, clock)).toBeUndefined();
    writeRaw(layout, 'done', path.basename(blocker.file), readFileSync(blocker.file, 'utf8'));
    rmSync(blocker.file);
    expect((await queueStatus(layout)).counts).toEqual({ incoming: 1, claimed: 0, done: 1, failed: 0 });
    expect(await claimedId(layout, clock)).toBe(waiting.id);
  });
});

describe('a damaged index is rebuilt from the folders, never trusted', () => {
  const damages: [string, (file: string) => void][] = [
    ['truncated inside its snapshot', (file) => truncateSync(file, 40)],
    ['truncated inside its lines', (file) => truncateSync(file, readFileSync(file).length - 7)],
    ['garbage', (file) => writeFileSync(file, 'not an index at all\n{"d":"incoming"}\n')],
    ['of another version', (file) => writeFileSync(file, readFileSync(file, 'utf8').replace('{"v":1,', '{"v":99,'))],
    ['a line that is not JSON', (file) => writeFileSync(file, `${readFileSync(file, 'utf8')}{"d":"incom\n`)],
    ['deleted', (file) => rmSync(file)],
  ];
  it.each(damages)('%s', async (_what, damage) => {
    const { layout, clock, second, third } = await indexed();
    damage(indexFile(layout));
    // A hand drop while the index is damaged: only the folders can tell of it.
    writeRaw(layout, 'incoming', 'TASK-0000d00d.md', raw('TASK-0000d00d', 'P0'));
    rmSync(second.file);
    expect(await claimedId(layout, clock)).toBe('TASK-0000d00d');
    expect(await claimedId(layout, clock)).toBe(third.id);
    expect(await claimedId(layout, clock)).toBeUndefined();
    expect(loadIndex(indexFile(layout)).ok).toBe(true);
    expect((await queueStatus(layout)).counts).toEqual({ incoming: 0, claimed: 3, done: 0, failed: 0 });
  });
});

describe('queue-status from the index', () => {
  it('keeps what the lifecycle needs, and is the same read from the index as from the folders', async () => {
    const layout = tempLayout();
    writeRaw(layout, 'done', 'TASK-00000001.md', `${raw('TASK-00000001').replace('---\n', '---\nstage: approved\n')}`);
    writeRaw(layout, 'done', 'TASK-00000002.md', raw('TASK-00000002', 'P2', 'test'));
    writeRaw(
      layout,
      'failed',
      'TASK-00000003.md',
      raw('TASK-00000003', 'P2', 'test').replace('---\n', "---\ncancelled_at: '2026-01-01T00:00:00Z'\n"),
    );
    writeRaw(layout, 'failed', 'TASK-00000004.md', raw('TASK-00000004', 'P2', 'test'));
    const first = await queueStatus(layout);
    expect(first.byLifecycle).toMatchObject({ approved: 1, finished: 1, cancelled: 1, failed: 1 });
    expect(loadIndex(indexFile(layout)).ok).toBe(true);
    expect(await queueStatus(layout)).toEqual(first);
  });
});
