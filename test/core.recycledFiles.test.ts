import {
  closeSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSpareTmp, writeFileAtomicSync } from '../src/core/atomicFileSync.js';
import { keepReplaced, REUSE_AFTER_MS, reuseKept } from '../src/core/recycledFiles.js';
import { tempDir } from './helpers/tmp.js';

function folders() {
  const dir = tempDir();
  const tmp = path.join(dir, '.tmp');
  const queue = path.join(dir, 'incoming');
  mkdirSync(tmp);
  mkdirSync(queue);
  return { tmp, queue };
}

const kept = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('.recycled-'));

describe('files a claim replaces, reused as later temp files', () => {
  it('a rewrite under withSpareTmp keeps the replaced file, and a later one reuses it emptied', async () => {
    const { tmp, queue } = folders();
    const task = path.join(queue, 'TASK-1.md');
    writeFileSync(task, 'old text of TASK-1', { mode: 0o644 });
    const oldInode = statSync(task).ino;
    await withSpareTmp(tmp, 1, async () =>
      writeFileAtomicSync(task, 'leased TASK-1', { tmpDir: tmp, overwrite: true }),
    );
    expect(readFileSync(task, 'utf8')).toBe('leased TASK-1');
    expect(kept(tmp)).toHaveLength(1);
    expect(statSync(path.join(tmp, kept(tmp)[0] as string)).ino).toBe(oldInode);

    const spare = path.join(tmp, '.spare-test.tmp');
    expect(reuseKept(tmp, spare)).toBeUndefined(); // kept just now: a reader may still be reading it
    const fd = reuseKept(tmp, spare, Date.now() + REUSE_AFTER_MS + 10);
    expect(fd).toBeDefined();
    closeSync(fd as number);
    expect(statSync(spare).ino).toBe(oldInode);
    expect(readFileSync(spare, 'utf8')).toBe('');
    expect(kept(tmp)).toEqual([]);
  });

  it('never empties a kept file that still names a task (its rewrite never happened)', () => {
    const { tmp, queue } = folders();
    const task = path.join(queue, 'TASK-2.md');
    writeFileSync(task, 'the only copy of TASK-2', { mode: 0o644 });
    keepReplaced(task, tmp); // ...and the rename over it never came
    const fd = reuseKept(tmp, path.join(tmp, '.spare-test.tmp'), Date.now() + REUSE_AFTER_MS + 10);
    expect(fd).toBeUndefined();
    expect(readFileSync(task, 'utf8')).toBe('the only copy of TASK-2');
    expect(statSync(task).nlink).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("reuses another process's kept file, found by listing the folder, by the same rules", () => {
    const { tmp, queue } = folders();
    const stamp = (ms: number) => ms.toString(36).padStart(9, '0');
    const old = stamp(Date.now() - 5 * REUSE_AFTER_MS);
    /** A file kept at `at` whose task file was then replaced: the kept name is its only one. */
    const replaced = (name: string, at: string) => {
      const file = path.join(queue, name);
      writeFileSync(file, `old text of ${name}`, { mode: 0o644 });
      const keptFile = path.join(tmp, `.recycled-${at}-${name}.tmp`);
      linkSync(file, keptFile);
      unlinkSync(file);
      return statSync(keptFile).ino;
    };
    const oldInode = replaced('a', old);
    replaced('c', stamp(Date.now()));
    const task = path.join(queue, 'TASK-3.md');
    writeFileSync(task, 'TASK-3, still in the queue', { mode: 0o644 });
    linkSync(task, path.join(tmp, `.recycled-${old}-b.tmp`));

    const spare = path.join(tmp, '.spare-1.tmp');
    const fd = reuseKept(tmp, spare);
    expect(fd).toBeDefined();
    closeSync(fd as number);
    expect(statSync(spare).ino).toBe(oldInode);
    expect(readFileSync(spare, 'utf8')).toBe('');
    expect(reuseKept(tmp, path.join(tmp, '.spare-2.tmp'))).toBeUndefined();
    // The one still naming a task is let go untouched; the young one waits.
    expect(readFileSync(task, 'utf8')).toBe('TASK-3, still in the queue');
    expect(statSync(task).nlink).toBe(1);
    expect(kept(tmp)).toEqual([expect.stringMatching(/-c\.tmp$/)]);
  });
});
