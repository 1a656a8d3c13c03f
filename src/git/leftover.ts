import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { busyReason } from './processesInside.js';

/**
 * A folder where a worktree should be but git does not know it (a run killed
 * while its worktree was removed, a tool that recreated it). Nothing of it is
 * deleted: a folder with files is moved into `rescueDir` (same filesystem,
 * one rename), an empty one is removed. Refused while a process works in it.
 * Returns where the files went, or undefined when there were none.
 */
export async function moveLeftoverAside(
  dir: string,
  rescueDir: string,
  now: Date = new Date(),
): Promise<string | undefined> {
  const busy = await busyReason(dir);
  if (busy) throw new ExitError(`${dir} exists and is not a git worktree, and it is not moved aside: ${busy}`);
  if ((await fs.readdir(dir)).length === 0) {
    await fs.rmdir(dir);
    return undefined;
  }
  await fs.mkdir(rescueDir, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const dest = path.join(rescueDir, `${path.basename(dir)}-${stamp}`);
  await fs.rename(dir, dest);
  return dest;
}
