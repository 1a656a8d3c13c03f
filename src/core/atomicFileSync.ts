import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { AtomicWriteOptions } from './atomicFile.js';
import { ExitError, errnoCode } from './errors.js';
import { keepReplaced, reuseKept } from './recycledFiles.js';

/**
 * atomicFile.ts's writes and moves as synchronous calls, with the same
 * guarantees, for the queue's moves (queueMoves.ts): they run under the queue
 * lock, where every other process waits for them, and a synchronous call
 * costs the system call alone, not a round trip through the thread pool.
 */
export interface AtomicWriteSyncOptions extends AtomicWriteOptions {
  /**
   * Also fsync the destination's folder (default true). A caller that moves
   * the file out of that folder next, and fsyncs it then, may skip it: the
   * entry it would make durable is replaced before anyone relies on it.
   */
  syncDir?: boolean;
}

export function writeFileAtomicSync(
  dest: string,
  content: string | Buffer,
  options: AtomicWriteSyncOptions = {},
): void {
  const dir = path.dirname(dest);
  const tmpDir = options.tmpDir ?? dir;
  const spare = options.mode === undefined ? takeSpare(tmpDir) : undefined;
  const tmp = spare?.file ?? path.join(tmpDir, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = spare?.fd ?? openSync(tmp, 'wx', options.mode ?? 0o644);
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.overwrite) {
      // A claim in progress (withSpareTmp) keeps the file it replaces to be a later claim's temp file.
      if (spare) keepReplaced(dest, tmpDir);
      renameSync(tmp, dest);
    } else {
      // link() fails with EEXIST instead of replacing: never clobber.
      linkSync(tmp, dest);
      unlinkSync(tmp);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    if (errnoCode(err) === 'EEXIST') throw new ExitError(`${dest} already exists; refusing to overwrite it`);
    throw err;
  }
  if (options.syncDir !== false) fsyncDirSync(dir);
}

/**
 * Temp files made ahead of a lock (`withSpareTmp`), each used by one write
 * into their folder. Creating a file allocates an inode, which on some disks
 * costs a millisecond or more; made before the queue lock is taken, that
 * cost is not paid while every other claimer waits, and a file an earlier
 * claim replaced is reused when there is one (recycledFiles.ts).
 */
const spares = new Map<string, { file: string; fd: number }[]>();

function takeSpare(tmpDir: string): { file: string; fd: number } | undefined {
  return spares.get(path.resolve(tmpDir))?.pop();
}

/**
 * Run `fn` with `count` empty temp files ready in `tmpDir` for its
 * writeFileAtomicSync calls there (default mode only); those left unused
 * are removed after it. A process killed meanwhile leaves empty dot-files
 * ending in `.tmp`, which the tick's temp-file sweep removes.
 */
export async function withSpareTmp<T>(tmpDir: string, count: number, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(tmpDir);
  const made: { file: string; fd: number }[] = [];
  try {
    mkdirSync(key, { recursive: true });
    for (let i = 0; i < count; i++) {
      const file = path.join(key, `.spare-${randomBytes(6).toString('hex')}.tmp`);
      made.push({ file, fd: reuseKept(key, file) ?? openSync(file, 'wx', 0o644) });
    }
  } catch {
    // No spare (a read-only or missing folder): each write creates its own temp file, as without spares.
  }
  const list = spares.get(key) ?? [];
  spares.set(key, list);
  list.push(...made);
  try {
    return await fn();
  } finally {
    for (const spare of made) {
      const at = list.indexOf(spare);
      if (at < 0) continue; // used: renamed into place and closed by the write
      list.splice(at, 1);
      closeSync(spare.fd);
      rmSync(spare.file, { force: true });
    }
    if (list.length === 0) spares.delete(key);
  }
}

/** moveNoClobber (atomicFile.ts), synchronous; the caller holds the queue lock. */
export function moveNoClobberSync(src: string, dest: string): void {
  if (existsNoFollow(dest)) throw new ExitError(`${dest} already exists; refusing to overwrite it`);
  renameSync(src, dest);
  fsyncDirSync(path.dirname(dest));
  if (path.dirname(src) !== path.dirname(dest)) fsyncDirSync(path.dirname(src));
}

/**
 * Folders whose fsync a caller asked to run after its lock is released
 * (`withDirSyncsAfter`), for the operation in progress only.
 */
const deferredDirSyncs = new AsyncLocalStorage<Set<string>>();

/**
 * Run `fn` (which takes and releases a lock) with the folder fsyncs of its
 * moves and writes put off until it has returned, and run them then, before
 * this resolves or throws. The rename is what other processes see, and it is
 * made under the lock; the fsync only makes it survive a power cut, which
 * matters when the caller is told, not while the others wait. A later fsync of
 * the same folder by anyone covers it too.
 */
export async function withDirSyncsAfter<T>(fn: () => Promise<T>): Promise<T> {
  const dirs = new Set<string>();
  try {
    return await deferredDirSyncs.run(dirs, fn);
  } finally {
    for (const dir of dirs) syncDirNow(dir);
  }
}

export function fsyncDirSync(dir: string): void {
  const deferred = deferredDirSyncs.getStore();
  if (deferred) deferred.add(path.resolve(dir));
  else syncDirNow(dir);
}

function syncDirNow(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(errnoCode(err) ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function existsNoFollow(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}
