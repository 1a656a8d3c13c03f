import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitError, errnoCode } from './errors.js';

/**
 * Durable, atomic file writes. A reader sees either the old file or the whole
 * new one, never a prefix; after the call returns, a power cut keeps the file.
 *
 * The temp file lives in `tmpDir` (default: the destination's folder, as a
 * dot-file whose name does not end in `.md`, so queue listings never see it).
 * It must be on the same filesystem as the destination so the final step is
 * a rename or link, not a copy.
 */
export interface AtomicWriteOptions {
  /** Replace an existing file (rename over it). Default false: refuse to clobber. */
  overwrite?: boolean;
  tmpDir?: string;
  mode?: number;
}

export async function writeFileAtomic(
  dest: string,
  content: string | Buffer,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(dest);
  const tmpDir = options.tmpDir ?? dir;
  const tmp = path.join(tmpDir, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.overwrite) {
      await fs.rename(tmp, dest);
    } else {
      // link() fails with EEXIST instead of replacing: never clobber.
      await fs.link(tmp, dest);
      await fs.unlink(tmp);
    }
  } catch (err) {
    await fs.rm(tmp, { force: true });
    if (errnoCode(err) === 'EEXIST') {
      throw new ExitError(`${dest} already exists; refusing to overwrite it`);
    }
    throw err;
  }
  await fsyncDir(dir);
}

/**
 * Move a file to another folder of the same filesystem without replacing a
 * file already there. Callers hold the queue lock, so the existence check and
 * the rename cannot race another tickfleet process.
 */
export async function moveNoClobber(src: string, dest: string): Promise<void> {
  try {
    await fs.lstat(dest);
    throw new ExitError(`${dest} already exists; refusing to overwrite it`);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  await fs.rename(src, dest);
  await fsyncDir(path.dirname(dest));
  if (path.dirname(src) !== path.dirname(dest)) await fsyncDir(path.dirname(src));
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(errnoCode(err) ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}

/** Read a file, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Read and parse a JSON file, or undefined when it does not exist. */
export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ExitError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { overwrite: true });
}

/** Temp files left by a writer that was killed mid-write. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}
