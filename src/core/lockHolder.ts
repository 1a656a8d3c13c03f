import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nanoid } from 'nanoid';
import { errnoCode } from './errors.js';
import { currentProcessIdentity, isProcessAlive, type ProcessIdentity } from './processInfo.js';

/**
 * The lock directory's contents: a `holder-*.json` naming the process that
 * took it (pid and start time). A waiter that finds the holder dead (killed
 * inside the lock) takes the lock at once instead of waiting for the
 * directory's mtime to go stale; mtime staleness stays the rule whenever the
 * holder cannot be read (killed between creating the directory and writing
 * the file, or a lock taken by plain proper-lockfile).
 *
 * Taking over is decided by one system call only one waiter can win:
 * - a lock naming a holder: unlinking the holder's file. The unlink also
 *   refreshes the directory's mtime, so no waiter that lost the race finds it
 *   stale meanwhile, and the emptied directory is the winner's to remove: no
 *   file appears in a directory that exists, as no mkdir of it can succeed.
 * - a lock naming none: rmdir, which never removes a directory that holds a
 *   file. A new holder whose fresh directory was removed this way between its
 *   mkdir and its holder write sees that write fail and has not taken the lock.
 */
const HOLDER_PREFIX = 'holder-';

let me: ProcessIdentity | undefined;

/** This process's identity, read once (the holder file names it). */
export async function holderIdentity(): Promise<ProcessIdentity> {
  me ??= await currentProcessIdentity();
  return me;
}

/**
 * Create the lock directory and name its holder in it. The file's name when
 * the lock is ours, undefined when it is held (or was taken from under us
 * before the holder was written).
 */
export function takeLockDir(dir: string, id: ProcessIdentity): string | undefined {
  try {
    mkdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return undefined;
    throw err;
  }
  const name = `${HOLDER_PREFIX}${id.pid}-${nanoid(8)}.json`;
  try {
    writeFileSync(path.join(dir, name), `${JSON.stringify({ pid: id.pid, start: id.start })}\n`, { flag: 'wx' });
  } catch (err) {
    // Removed as an empty stale lock by a waiter that judged it a moment earlier: not ours.
    if (errnoCode(err) === 'ENOENT') return undefined;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return name;
}

/** Release: the holder's file, then the (now empty) directory. */
export function removeLockDir(dir: string, holder: string): void {
  try {
    unlinkSync(path.join(dir, holder));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    return; // not ours any more: taken over, nothing of ours to remove
  }
  rmdirQuiet(dir);
}

/** True while the directory still holds this holder's file (it was not taken over). */
export function stillHeld(dir: string, holder: string): boolean {
  try {
    statSync(path.join(dir, holder));
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove a lock that was abandoned: its holder dead, or not refreshed for
 * `staleMs`. Resolves to `{ from }` (the dead holder, when one was named) when
 * this caller removed it and may compete for it again, undefined when the
 * lock is alive, gone already or another waiter won the takeover.
 */
export async function removeIfAbandoned(dir: string, staleMs: number): Promise<{ from?: ProcessIdentity } | undefined> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
  // Read after the listing: an unlink the listing missed has refreshed the mtime by now.
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  const stale = mtimeMs < Date.now() - staleMs;
  const holders = names.filter((n) => n.startsWith(HOLDER_PREFIX));
  if (holders.length === 0) {
    if (!stale) return undefined;
    return rmdirQuiet(dir) ? {} : undefined;
  }
  for (const name of holders) {
    const file = path.join(dir, name);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined; // gone (another waiter removed it) or not readable: the mtime decides
    }
    const id = parseHolder(text);
    const dead = id !== undefined && !(await isProcessAlive(id));
    if (!dead && !stale) continue;
    try {
      unlinkSync(file);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined; // another waiter took it over first
      throw err;
    }
    // Ours now: nothing else can appear in it. Anything left beside the holder goes with it.
    rmSync(dir, { recursive: true, force: true });
    return dead && id ? { from: id } : {};
  }
  return undefined;
}

function rmdirQuiet(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    // Gone already, or a new holder's file is in it: not ours to remove.
    if (['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(errnoCode(err) ?? '')) return false;
    throw err;
  }
}

function parseHolder(text: string | undefined): ProcessIdentity | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as { pid?: unknown; start?: unknown };
    return Number.isInteger(v.pid) && typeof v.start === 'string'
      ? { pid: v.pid as number, start: v.start }
      : undefined;
  } catch {
    return undefined; // cut short by a kill: the mtime decides
  }
}
