import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveNoClobber, writeFileAtomic } from '../src/core/atomicFile.js';
import { fsyncDirSync, withDirSyncsAfter, withSpareTmp, writeFileAtomicSync } from '../src/core/atomicFileSync.js';
import { tempDir } from './helpers/tmp.js';

describe('writeFileAtomic', () => {
  it('refuses to clobber an existing file unless asked to', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.md');
    await writeFileAtomic(file, 'one');
    await expect(writeFileAtomic(file, 'two')).rejects.toThrow(/already exists; refusing to overwrite/);
    expect(await fs.readFile(file, 'utf8')).toBe('one');
    await writeFileAtomic(file, 'three', { overwrite: true });
    expect(await fs.readFile(file, 'utf8')).toBe('three');
    expect(await fs.readdir(dir)).toEqual(['a.md']);
  });

  it('puts its temp file in tmpDir, never beside the destination', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    await fs.mkdir(tmp);
    await writeFileAtomic(path.join(dir, 'b.md'), 'x', { tmpDir: tmp });
    expect(await fs.readdir(tmp)).toEqual([]);
  });
});

describe('moveNoClobber', () => {
  it('moves a file and refuses to replace one already at the destination', async () => {
    const dir = tempDir();
    await fs.mkdir(path.join(dir, 'a'));
    await fs.mkdir(path.join(dir, 'b'));
    await fs.writeFile(path.join(dir, 'a', 'x.md'), 'moved');
    await moveNoClobber(path.join(dir, 'a', 'x.md'), path.join(dir, 'b', 'x.md'));
    expect(await fs.readFile(path.join(dir, 'b', 'x.md'), 'utf8')).toBe('moved');
    await fs.writeFile(path.join(dir, 'a', 'x.md'), 'second');
    await expect(moveNoClobber(path.join(dir, 'a', 'x.md'), path.join(dir, 'b', 'x.md'))).rejects.toThrow(/refusing/);
    expect(await fs.readFile(path.join(dir, 'b', 'x.md'), 'utf8')).toBe('moved');
  });
});

describe('withSpareTmp', () => {
  it('lends a temp file made beforehand to the write inside it and removes the ones left unused', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    const file = path.join(dir, 'c.md');
    let during: string[] = [];
    await withSpareTmp(tmp, 2, async () => {
      during = await fs.readdir(tmp);
      writeFileAtomicSync(file, 'leased', { tmpDir: tmp, overwrite: true });
      // One of the two was renamed into place; the other waits until the end.
      expect(await fs.readdir(tmp)).toHaveLength(1);
    });
    expect(during).toHaveLength(2);
    expect(during.every((n) => n.startsWith('.spare-') && n.endsWith('.tmp'))).toBe(true);
    expect(await fs.readFile(file, 'utf8')).toBe('leased');
    expect(await fs.readdir(tmp)).toEqual([]);
    // A write outside it creates its own temp file again.
    writeFileAtomicSync(file, 'again', { tmpDir: tmp, overwrite: true });
    expect(await fs.readFile(file, 'utf8')).toBe('again');
    expect(await fs.readdir(tmp)).toEqual([]);
  });

  it('removes its spares when the work inside it throws', async () => {
    const tmp = path.join(tempDir(), 'tmp');
    await expect(
      withSpareTmp(tmp, 1, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await fs.readdir(tmp)).toEqual([]);
  });
});

describe('withDirSyncsAfter', () => {
  // A folder that is not there makes fsyncDirSync throw: that shows when the fsync runs.
  it('runs the folder fsyncs of its operation after the operation, not during it', async () => {
    const missing = path.join(tempDir('tickfleet-dirsync-'), 'gone');
    const order: string[] = [];
    const run = withDirSyncsAfter(async () => {
      fsyncDirSync(missing); // put off: no throw here
      order.push('operation done');
    });
    await expect(run).rejects.toMatchObject({ code: 'ENOENT' });
    expect(order).toEqual(['operation done']);
  });

  it('runs them when the operation throws too, and puts off nothing of other work running meanwhile', async () => {
    const dir = tempDir('tickfleet-dirsync-');
    const missing = path.join(dir, 'gone');
    let outside: unknown;
    const other = (async () => {
      await new Promise((r) => setImmediate(r));
      try {
        fsyncDirSync(missing); // not inside the operation: runs at once
      } catch (err) {
        outside = err;
      }
    })();
    const run = withDirSyncsAfter(async () => {
      fsyncDirSync(dir);
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('the operation failed');
    });
    await expect(run).rejects.toThrow('the operation failed');
    await other;
    expect(outside).toMatchObject({ code: 'ENOENT' });
  });
});
