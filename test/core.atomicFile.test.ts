import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveNoClobber, writeFileAtomic } from '../src/core/atomicFile.js';
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
