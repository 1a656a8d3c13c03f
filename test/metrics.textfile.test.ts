import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMetricsTextfile } from '../src/metrics/textfile.js';
import { tempDir } from './helpers/tmp.js';

describe('writeMetricsTextfile', () => {
  it('creates the folder, then replaces the file whole, leaving no temp file behind', async () => {
    const dir = path.join(tempDir(), 'textfile');
    const file = path.join(dir, 'tickfleet.prom');
    await writeMetricsTextfile(file, 'a 1\n');
    expect(readFileSync(file, 'utf8')).toBe('a 1\n');
    const before = statSync(file).ino;
    await writeMetricsTextfile(file, 'a 2\n');
    expect(readFileSync(file, 'utf8')).toBe('a 2\n');
    // A new inode: the old file was renamed over, never truncated and rewritten in place.
    expect(statSync(file).ino).not.toBe(before);
    expect(await fs.readdir(dir)).toEqual(['tickfleet.prom']);
  });

  it('a reader holding the old file keeps reading all of it while a new one is written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tickfleet.prom');
    const old = 'x 1\n'.repeat(10_000);
    await writeMetricsTextfile(file, old);
    const handle = await fs.open(file, 'r');
    try {
      await writeMetricsTextfile(file, 'y 2\n');
      expect(await handle.readFile('utf8')).toBe(old);
    } finally {
      await handle.close();
    }
    expect(readFileSync(file, 'utf8')).toBe('y 2\n');
  });

  it('writes its temp file in the same folder under a name node_exporter ignores (not *.prom)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tickfleet.prom');
    const seen: string[] = [];
    const watcher = fs.watch(dir);
    const done = (async () => {
      for await (const event of watcher) {
        if (event.filename) seen.push(event.filename);
        if (event.filename === 'tickfleet.prom') break;
      }
    })();
    await writeMetricsTextfile(file, 'z 3\n');
    await done;
    const temps = seen.filter((n) => n !== 'tickfleet.prom');
    expect(temps.length).toBeGreaterThan(0);
    for (const name of temps) expect(name).toMatch(/^\.tickfleet\.prom\.[0-9a-f]+\.tmp$/);
  });
});
