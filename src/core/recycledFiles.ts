import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, linkSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Files a claim's rewrite replaced, kept to be the temp file of a later
 * claim instead of being freed. A claim writes its task's leased text into a
 * new file and renames it over the old one: one inode made, one freed, every
 * claim. On some filesystems (ext4 without a journal) making an inode scans
 * past every recently freed one, and a busy queue spent more of its time
 * there than anywhere else. Kept, the old file costs one link under the lock
 * and nothing later; reused, the next claim makes no inode at all.
 *
 * Two rules keep a reused file from ever being a task's:
 * - it is emptied only while this is its only name. A link whose rename-over
 *   never happened (an error, a kill in between) still names the task too,
 *   and is only let go;
 * - it is reused only a while after it was kept (`REUSE_AFTER_MS`, in its
 *   name), so a reader that opened the old file just before it was replaced
 *   has read it long before it is emptied.
 *
 * The files are dot-files ending in `.tmp`: the tick's temp-file sweep
 * removes those left unused.
 */
const PREFIX = '.recycled-';
export const REUSE_AFTER_MS = 1_000;

/** Kept by this process, oldest first: a process that claims again reuses these without listing the folder. */
const keptHere = new Map<string, { file: string; at: number }[]>();

/** Keep `dest`'s current file in `dir` before it is replaced. Best effort: a file not kept is freed, as before. */
export function keepReplaced(dest: string, dir: string): void {
  const at = Date.now();
  const file = path.join(dir, `${PREFIX}${at.toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    linkSync(dest, file);
  } catch {
    return; // no file yet, or links not allowed here: nothing to keep
  }
  const key = path.resolve(dir);
  const list = keptHere.get(key) ?? [];
  keptHere.set(key, list);
  list.push({ file, at });
}

/**
 * Take a kept file old enough to reuse, as `file`, emptied and open for
 * writing. Undefined when there is none: the caller makes a new file.
 */
export function reuseKept(dir: string, file: string, now = Date.now()): number | undefined {
  const own = keptHere.get(path.resolve(dir));
  if (own && own.length > 0) {
    // Its own, when it kept some: the oldest, or none yet (no listing: another process keeps its own too).
    while (own.length > 0 && (own[0]?.at ?? now) <= now - REUSE_AFTER_MS) {
      const fd = take((own.shift() as { file: string }).file, file);
      if (fd !== undefined) return fd;
    }
    return undefined;
  }
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(PREFIX) && keptAt(n) <= now - REUSE_AFTER_MS);
  } catch {
    return undefined;
  }
  // Started at a random one: processes taking at once mostly try different files.
  const first = Math.floor(Math.random() * names.length);
  for (let i = 0; i < names.length; i++) {
    const fd = take(path.join(dir, names[(first + i) % names.length] as string), file);
    if (fd !== undefined) return fd;
  }
  return undefined;
}

/** Rename a kept file to `file` and empty it; undefined when it is gone or not fit to reuse. */
function take(kept: string, file: string): number | undefined {
  try {
    renameSync(kept, file);
  } catch {
    return undefined; // taken by another process, or swept
  }
  const fd = emptyIfOnlyName(file);
  if (fd === undefined) rmSync(file, { force: true }); // another name still has it: drop this one only
  return fd;
}

function keptAt(name: string): number {
  return Number.parseInt(name.slice(PREFIX.length, PREFIX.length + 9), 36);
}

/** Open `file` and empty it, only when it has no other name and is a plain file this process could have made. */
function emptyIfOnlyName(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r+');
    const st = fstatSync(fd);
    const mine = process.getuid === undefined || st.uid === process.getuid();
    if (st.isFile() && st.nlink === 1 && mine && (st.mode & 0o777) === 0o644) {
      ftruncateSync(fd, 0);
      return fd;
    }
  } catch {
    // Not ours to open: left to the sweep.
  }
  if (fd !== undefined) closeSync(fd);
  return undefined;
}
