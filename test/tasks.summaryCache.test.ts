import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskDir } from '../src/core/paths.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { summaryCacheFile } from '../src/tasks/summaryCache.js';
import { tempLayout, writeRaw } from './fixtures/tasks/project.js';

const task = (id: string, role: string) => `---\nid: ${id}\ntitle: t\nrole: ${role}\n---\n`;
/** Make a folder look last changed a minute ago, so it is settled enough to cache. */
const settle = (dir: string) => utimesSync(dir, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

function project() {
  const layout = tempLayout();
  writeRaw(layout, 'done', 'TASK-00000001.md', task('TASK-00000001', 'implement'));
  writeRaw(layout, 'done', 'TASK-00000002.md', task('TASK-00000002', 'test'));
  writeRaw(layout, 'incoming', 'TASK-00000003.md', task('TASK-00000003', 'implement'));
  return { layout, done: taskDir(layout, 'done'), incoming: taskDir(layout, 'incoming') };
}

describe('the done and failed summary cache', () => {
  it('does not read an unchanged settled folder again, and reads it whole once it changes', async () => {
    const { layout, done } = project();
    settle(done);
    expect((await queueStatus(layout)).byStateAndRole.done).toEqual({ implement: 1, test: 1 });
    expect(Object.keys(JSON.parse(readFileSync(summaryCacheFile(layout), 'utf8')).done.files).sort()).toEqual([
      'TASK-00000001.md',
      'TASK-00000002.md',
    ]);

    // An edit in place leaves the folder's mtime alone: the cached role stands (the documented limit)...
    writeFileSync(path.join(done, 'TASK-00000002.md'), task('TASK-00000002', 'review'));
    expect((await queueStatus(layout)).byStateAndRole.done).toEqual({ implement: 1, test: 1 });
    // ...until the folder changes, as every write tickfleet makes changes it.
    writeRaw(layout, 'done', 'TASK-00000004.md', task('TASK-00000004', 'test'));
    const after = await queueStatus(layout);
    expect(after.counts.done).toBe(3);
    expect(after.byStateAndRole.done).toEqual({ implement: 1, review: 1, test: 1 });
  });

  it('keeps what the lifecycle needs, so counts from the cache are the same', async () => {
    const layout = tempLayout();
    writeRaw(
      layout,
      'done',
      'TASK-00000001.md',
      '---\nid: TASK-00000001\ntitle: t\nrole: implement\nstage: approved\n---\n',
    );
    writeRaw(layout, 'done', 'TASK-00000002.md', task('TASK-00000002', 'test'));
    writeRaw(
      layout,
      'failed',
      'TASK-00000003.md',
      "---\nid: TASK-00000003\ntitle: t\nrole: test\ncancelled_at: '2026-01-01T00:00:00Z'\n---\n",
    );
    writeRaw(layout, 'failed', 'TASK-00000004.md', task('TASK-00000004', 'test'));
    settle(taskDir(layout, 'done'));
    settle(taskDir(layout, 'failed'));
    const first = await queueStatus(layout);
    expect(first.byLifecycle).toMatchObject({ approved: 1, finished: 1, cancelled: 1, failed: 1 });
    const cached = JSON.parse(readFileSync(summaryCacheFile(layout), 'utf8'));
    expect(cached.done.files['TASK-00000001.md']).toEqual({ role: 'implement', blocked_by: [], stage: 'approved' });
    expect(cached.failed.files['TASK-00000003.md']).toEqual({
      role: 'test',
      blocked_by: [],
      cancelled_at: '2026-01-01T00:00:00Z',
    });
    expect((await queueStatus(layout)).byLifecycle).toEqual(first.byLifecycle);
  });

  it('never caches a folder changed moments ago, nor incoming and claimed', async () => {
    const { layout, done, incoming } = project();
    settle(incoming);
    await queueStatus(layout);
    expect(existsSync(summaryCacheFile(layout))).toBe(false);
    writeFileSync(path.join(done, 'TASK-00000002.md'), task('TASK-00000002', 'review'));
    writeFileSync(path.join(incoming, 'TASK-00000003.md'), task('TASK-00000003', 'test'));
    const status = await queueStatus(layout);
    expect(status.byStateAndRole.done).toEqual({ implement: 1, review: 1 });
    expect(status.byStateAndRole.incoming).toEqual({ test: 1 });
  });

  it('keeps counts exact from the listing even where a folder mtime fails to move', async () => {
    const { layout, done } = project();
    const when = new Date(Date.now() - 60_000);
    utimesSync(done, when, when);
    await queueStatus(layout);
    rmSync(path.join(done, 'TASK-00000001.md'));
    writeFileSync(path.join(done, 'TASK-00000002.md'), task('TASK-00000002', 'review'));
    utimesSync(done, when, when); // as on a filesystem that does not update directory mtimes
    const status = await queueStatus(layout);
    expect(status.counts.done).toBe(1);
    expect(status.byStateAndRole.done).toEqual({ test: 1 }); // the cached role: the file was not read
  });

  it('ignores a damaged or foreign cache file and replaces it', async () => {
    const { layout, done } = project();
    settle(done);
    writeFileSync(summaryCacheFile(layout), '{"version":1,"done":{"stamp":');
    expect((await queueStatus(layout)).byStateAndRole.done).toEqual({ implement: 1, test: 1 });
    writeFileSync(summaryCacheFile(layout), JSON.stringify({ version: 99, done: { stamp: 'x', files: {} } }));
    expect((await queueStatus(layout)).byStateAndRole.done).toEqual({ implement: 1, test: 1 });
    expect(JSON.parse(readFileSync(summaryCacheFile(layout), 'utf8')).version).toBe(3);
  });
});
