import { mkdir, readdir, readFile, realpath, rm, rmSync, type Stats, stat, unlink, utimes, writeFile } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { nanoid } from 'nanoid';
import { errnoCode } from './errors.js';
import { currentProcessIdentity, isProcessAlive, type ProcessIdentity } from './processInfo.js';

/**
 * The file system proper-lockfile is given (its `fs` option): each lock
 * directory holds a `holder-*.json` naming the process that took it (pid and
 * start time). A waiter that finds the holder dead (killed inside the lock)
 * takes the lock at once instead of waiting for the directory's mtime to go
 * stale; mtime staleness stays the rule whenever the holder cannot be read
 * (killed between creating the directory and writing the file).
 *
 * Taking over is safe against other waiters: only one unlink of the dead
 * holder's file succeeds, and only that waiter reports the lock as stale to
 * proper-lockfile, which then removes it and competes for it as usual. The
 * unlink also refreshes the directory's mtime, so no waiter that lost the race
 * finds it stale meanwhile.
 */
const HOLDER_PREFIX = 'holder-';

const statP = promisify(stat);
const readdirP = promisify(readdir);
const readFileP = promisify(readFile);
const unlinkP = promisify(unlink);
const writeFileP = promisify(writeFile);

let me: Promise<ProcessIdentity> | undefined;

/** The dead holders taken over, by lock directory: read by acquireLock for its report. */
export const takenOver = new Map<string, ProcessIdentity>();

type Callback<T = void> = (err: NodeJS.ErrnoException | null, value?: T) => void;

export const holderAwareFs = {
  mkdir(dir: string, cb: Callback): void {
    mkdir(dir, (err) => {
      if (err) return cb(err);
      // Written before proper-lockfile's first mtime update, so the holder's own refreshes stay consistent.
      writeHolder(dir).then(
        () => cb(null),
        (writeErr: NodeJS.ErrnoException) => rm(dir, { recursive: true, force: true }, () => cb(writeErr)),
      );
    });
  },
  stat(file: string, cb: Callback<Stats>): void {
    statOrTakeOver(file).then((s) => cb(null, s), cb);
  },
  /** A lock directory is removed with its holder file; ENOENT is passed on (proper-lockfile ignores it). */
  rmdir(dir: string, cb: Callback): void {
    rm(dir, { recursive: true }, (err) => cb(err));
  },
  rmdirSync(dir: string): void {
    rmSync(dir, { recursive: true });
  },
  utimes,
  realpath,
};

async function writeHolder(dir: string): Promise<void> {
  me ??= currentProcessIdentity();
  const id = await me;
  await writeFileP(
    path.join(dir, `${HOLDER_PREFIX}${id.pid}-${nanoid(8)}.json`),
    `${JSON.stringify({ pid: id.pid, start: id.start })}\n`,
  );
}

/** The lock's stat; when its holder is dead and this caller wins the takeover, a stat that reads as stale. */
async function statOrTakeOver(file: string): Promise<Stats> {
  const st = await statP(file);
  if (!st.isDirectory()) return st;
  let names: string[];
  try {
    names = await readdirP(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return st;
    throw err;
  }
  for (const name of names) {
    if (!name.startsWith(HOLDER_PREFIX)) continue;
    const holder = path.join(file, name);
    // Gone (another waiter removed it) or not readable: the mtime decides, as for a lock without a holder.
    const id = parseHolder(await readFileP(holder, 'utf8').catch(() => undefined));
    if (!id || (await isProcessAlive(id))) continue;
    try {
      await unlinkP(holder);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') continue; // another waiter took it over first
      throw err;
    }
    takenOver.set(file, id);
    return Object.assign(Object.create(Object.getPrototypeOf(st) as object) as Stats, st, {
      mtime: new Date(0),
      mtimeMs: 0,
    });
  }
  return st;
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
