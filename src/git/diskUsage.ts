import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Bytes a directory takes on disk (allocated blocks where the platform
 * reports them, like `du`), symlinks not followed. A missing directory is 0.
 */
export async function diskUsage(dir: string): Promise<number> {
  let stat: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    stat = await fs.lstat(dir);
  } catch {
    // An estimate, like du: what cannot be looked at (gone meanwhile, not readable) counts as nothing.
    return 0;
  }
  const own = stat.blocks !== undefined && stat.blocks > 0 ? stat.blocks * 512 : stat.size;
  if (!stat.isDirectory()) return own;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    // Not listable: count the folder itself, as du goes on past what it cannot read.
    return own;
  }
  let total = own;
  // Bounded fan-out: a node_modules tree must not open thousands of handles at once.
  for (let i = 0; i < entries.length; i += 32) {
    const sizes = await Promise.all(entries.slice(i, i + 32).map((name) => diskUsage(path.join(dir, name))));
    total += sizes.reduce((a, b) => a + b, 0);
  }
  return total;
}
