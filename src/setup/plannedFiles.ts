import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists, writeFileAtomic } from '../core/atomicFile.js';
import { errnoCode } from '../core/errors.js';
import type { PlannedFile, SetupItem } from './plan.js';

/**
 * Write each planned file whose text differs from what is there (atomically:
 * launchd and systemd must never read half a file). An identical file is not
 * touched, so a second install really rewrites nothing.
 */
export async function writePlannedFiles(files: readonly PlannedFile[]): Promise<SetupItem[]> {
  const items: SetupItem[] = [];
  for (const file of files) {
    const current = await readIfExists(file.path);
    if (current === file.content) {
      items.push({ path: file.path, action: 'unchanged' });
      continue;
    }
    await fs.mkdir(path.dirname(file.path), { recursive: true });
    await writeFileAtomic(file.path, file.content, { overwrite: true });
    items.push({ path: file.path, action: current === undefined ? 'created' : 'updated' });
  }
  return items;
}

export async function removePlannedFiles(files: readonly PlannedFile[]): Promise<SetupItem[]> {
  const items: SetupItem[] = [];
  for (const file of files) {
    try {
      await fs.unlink(file.path);
      items.push({ path: file.path, action: 'removed' });
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      items.push({ path: file.path, action: 'absent' });
    }
  }
  return items;
}

export function changed(items: readonly SetupItem[]): boolean {
  return items.some((i) => i.action === 'created' || i.action === 'updated' || i.action === 'removed');
}
