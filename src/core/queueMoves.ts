import { promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile.js';
import { existsNoFollow, moveNoClobberSync, writeFileAtomicSync } from './atomicFileSync.js';
import { ExitError } from './errors.js';
import { fileOf, listIds, QueueFileError, type QueueFolders, readTextSync } from './queueFolder.js';
import { locate } from './queueLookup.js';
import { withTokenLock } from './tokenLock.js';

/**
 * Writes and moves in a queue of markdown files (see queueFolder.ts). Every
 * write is atomic, every move happens under the queue's lock and never
 * replaces a file, unreadable files go to quarantine with the reason beside
 * them. Rewrites and moves (every claim, every transition) are synchronous
 * system calls (atomicFileSync.ts): they run under the queue lock, which every
 * other process is waiting for. A new file (an enqueue) is written as before.
 */
export function withQueueLock<T>(q: QueueFolders<string>, fn: () => Promise<T>): Promise<T> {
  return withTokenLock(q.lockTarget, fn, { waitMs: 30_000 });
}

/** Write a new file into a state folder; refuses to replace one. Caller holds the lock. */
export async function writeNew<S extends string>(
  q: QueueFolders<S>,
  state: S,
  id: string,
  text: string,
): Promise<string> {
  const file = fileOf(q, state, id);
  await fs.mkdir(q.dir(state), { recursive: true });
  await fs.mkdir(q.tmpDir, { recursive: true });
  const dir = q.dir(state);
  q.observer?.changing(dir);
  try {
    await writeFileAtomic(file, text, { tmpDir: q.tmpDir });
  } finally {
    q.observer?.changed(dir, file);
  }
  return file;
}

/**
 * Replace a queued file's content in place (atomic rename over itself). Caller holds the lock.
 * `movingOut`: the caller moves the file to another folder next and that move fsyncs this
 * folder, so the rewrite does not fsync it first (the entry it would make durable is gone by then).
 */
export async function rewrite(
  q: QueueFolders<string>,
  file: string,
  text: string,
  options: { movingOut?: boolean } = {},
): Promise<void> {
  mkdirSync(q.tmpDir, { recursive: true });
  const dir = path.dirname(file);
  q.observer?.changing(dir);
  try {
    writeFileAtomicSync(file, text, { tmpDir: q.tmpDir, overwrite: true, syncDir: !options.movingOut });
  } finally {
    q.observer?.changed(dir, file);
  }
}

/** Move a queued file to another state's folder without clobbering. Caller holds the lock. */
export async function moveTo<S extends string>(q: QueueFolders<S>, file: string, state: S): Promise<string> {
  ensureDirs(q, state);
  const dest = path.join(q.dir(state), path.basename(file));
  await observedMove(q, file, dest);
  return dest;
}

/**
 * Commit an edit of a queued file: rewrite it in place (atomic rename over
 * itself) when its text changed, then move it to `to` without clobbering, so
 * it is never half-written and never in two folders. Caller holds the lock.
 * Returns the file's new path.
 */
export async function rewriteAndMove<S extends string>(
  q: QueueFolders<S>,
  file: string,
  text: string,
  from: S,
  to: S,
): Promise<string> {
  const current = readTextSync(file);
  if (current === undefined)
    throw new ExitError(`${file} disappeared while it was being updated; run the command again`);
  // Checked before the rewrite too, so a move that cannot happen leaves the file as it was.
  const dest = path.join(q.dir(to), path.basename(file));
  if (to !== from && existsNoFollow(dest))
    throw new ExitError(`${dest} already exists; refusing to move ${file} over it`);
  if (text !== current) await rewrite(q, file, text, { movingOut: to !== from });
  return to === from ? file : moveTo(q, file, to);
}

/**
 * Move an unreadable file to quarantine and write the reason beside it
 * (`<name>.reason`). A name already taken there gets a numeric suffix.
 * Caller holds the lock. Returns the new path.
 */
export async function quarantineFile<S extends string>(
  q: QueueFolders<S>,
  file: string,
  reason: string,
): Promise<string> {
  const dir = q.dir('quarantine');
  mkdirSync(dir, { recursive: true });
  mkdirSync(q.tmpDir, { recursive: true });
  const base = path.basename(file, '.md');
  let dest = path.join(dir, `${base}.md`);
  for (let n = 2; existsNoFollow(dest); n++) dest = path.join(dir, `${base}.${n}.md`);
  await observedMove(q, file, dest);
  await writeFileAtomic(`${dest}.reason`, `${reason}\n`, { tmpDir: q.tmpDir, overwrite: true });
  return dest;
}

/** A move the observer sees from both folders; reported even when it failed part-way, as the folders may have changed. */
async function observedMove(q: QueueFolders<string>, file: string, dest: string): Promise<void> {
  const from = path.dirname(file);
  const to = path.dirname(dest);
  q.observer?.changing(from);
  q.observer?.changing(to);
  try {
    moveNoClobberSync(file, dest);
  } finally {
    q.observer?.changed(from, file);
    q.observer?.changed(to, dest);
  }
}

function ensureDirs(q: QueueFolders<string>, state: string): void {
  mkdirSync(q.dir(state), { recursive: true });
  mkdirSync(q.tmpDir, { recursive: true });
}

/** A file that could not be read as a queue entry, and why. */
export interface QueueProblem {
  file: string;
  reason: string;
  /** Where it went, when it was moved to quarantine. */
  quarantinedTo?: string;
}

/** How a queue turns a file into an entry; throws QueueFileError for a file it cannot read. */
export type ParseEntry<S extends string, T> = (text: string, file: string, state: S) => T;

/**
 * Read one entry by id; the caller holds the queue lock. An unreadable file is
 * quarantined and reported as an error, so a broken file never blocks a
 * transition twice. `notFound` words the error for an id no folder holds.
 */
export function loadEntryLocked<S extends string, T>(
  q: QueueFolders<S>,
  id: string,
  parse: ParseEntry<S, T>,
  notFound: (id: string) => ExitError,
): Promise<T> {
  return readEntry(q, id, parse, notFound, async (file, err) => {
    const to = await quarantineFile(q, file, err.message);
    throw new ExitError(`${id} could not be read and was moved to ${to}: ${err.message}`);
  });
}

/** Read one entry by id without the lock; only an unreadable file takes it, to quarantine the file and say where it went. */
export function findEntry<S extends string, T>(
  q: QueueFolders<S>,
  id: string,
  parse: ParseEntry<S, T>,
  notFound: (id: string) => ExitError,
): Promise<T> {
  return readEntry(q, id, parse, notFound, () => withQueueLock(q, () => loadEntryLocked(q, id, parse, notFound)));
}

async function readEntry<S extends string, T>(
  q: QueueFolders<S>,
  id: string,
  parse: ParseEntry<S, T>,
  notFound: (id: string) => ExitError,
  unreadable: (file: string, err: QueueFileError) => Promise<T>,
): Promise<T> {
  const where = locate(q, id);
  const text = where && readTextSync(where.file);
  if (!where || text === undefined) throw notFound(id);
  try {
    return parse(text, where.file, where.state);
  } catch (err) {
    if (!(err instanceof QueueFileError)) throw err;
    return unreadable(where.file, err);
  }
}

/**
 * Parse every file of the given states. Files that fail are quarantined under
 * the lock (re-read first: someone may have fixed or moved it meanwhile) and
 * reported; every other file is still returned.
 */
export async function readStates<S extends string, T>(
  q: QueueFolders<S>,
  states: readonly S[],
  parse: ParseEntry<S, T>,
  options: { locked?: boolean } = {},
): Promise<{ items: T[]; problems: QueueProblem[] }> {
  const items: T[] = [];
  const bad: { file: string; state: S }[] = [];
  for (const state of states) {
    for (const id of listIds(q, state)) {
      const file = fileOf(q, state, id);
      const text = readTextSync(file);
      if (text === undefined) continue; // moved by another process since readdir
      try {
        items.push(parse(text, file, state));
      } catch (err) {
        if (!(err instanceof QueueFileError)) throw err;
        bad.push({ file, state });
      }
    }
  }
  if (bad.length === 0) return { items, problems: [] };
  const quarantineBad = async (): Promise<QueueProblem[]> => {
    const problems: QueueProblem[] = [];
    for (const { file, state } of bad) {
      const text = readTextSync(file);
      if (text === undefined) continue;
      try {
        items.push(parse(text, file, state));
      } catch (err) {
        if (!(err instanceof QueueFileError)) throw err;
        problems.push({ file, reason: err.message, quarantinedTo: await quarantineFile(q, file, err.message) });
      }
    }
    return problems;
  };
  const problems = options.locked ? await quarantineBad() : await withQueueLock(q, quarantineBad);
  return { items, problems };
}
