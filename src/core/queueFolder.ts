import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { ExitError, errnoCode } from './errors.js';

/**
 * A queue of markdown files, one folder per state, shared by the task and the
 * proposal queues: the read side, with no locks, no parser and no id
 * generator loaded, so counting stays fast. Temp files are never listed.
 * Looking ids up is in queueLookup.ts, writes and moves in queueMoves.ts.
 */
export interface QueueFolders<S extends string> {
  /** 'task' or 'proposal', for messages. */
  noun: string;
  states: readonly S[];
  dir(state: S | 'quarantine'): string;
  /** The file the queue lock guards (`<lockTarget>.lock` is the lock itself, core/tokenLock.ts). */
  lockTarget: string;
  /** Temp files for atomic writes: same filesystem, never a queue folder. */
  tmpDir: string;
  /** Told of each change queueMoves.ts makes, so an index of the folders can follow them. */
  observer?: QueueObserver;
}

/**
 * What watches the folders change: `changing` just before a change of a
 * folder, `changed` just after, with the file written, replaced or moved
 * away. Both run under the queue lock, around each single rename or link.
 */
export interface QueueObserver {
  changing(dir: string): void;
  changed(dir: string, file: string): void;
}

/**
 * A file whose content is not a valid queue entry; the message is the
 * quarantine reason. An ExitError: it names the file and what is wrong in it,
 * so a person can fix the file.
 */
export class QueueFileError extends ExitError {
  constructor(message: string) {
    super(message);
    this.name = 'QueueFileError';
  }
}

export function fileOf<S extends string>(q: QueueFolders<S>, state: S | 'quarantine', id: string): string {
  return path.join(q.dir(state), `${id}.md`);
}

/** Ids (file names without `.md`) in one folder, sorted. Dot-files (temp files) are skipped. */
export function listIds<S extends string>(q: QueueFolders<S>, state: S | 'quarantine'): string[] {
  return listFileNames(q.dir(state))
    .map((n) => n.slice(0, -3))
    .sort();
}

/** `*.md` names in a folder, unsorted, without dot-files; [] when the folder does not exist. */
export function listFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => n.endsWith('.md') && !n.startsWith('.'));
}

/**
 * Synchronous reads: listing thousands of small files is much faster this way
 * than with thousands of promises.
 */
export function readTextSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') return undefined;
    throw err;
  }
}

/**
 * The first `buffer.length` bytes of a file, and whether that is all of it;
 * undefined when the file is gone.
 */
export function readHeadSync(file: string, buffer: Buffer): { text: string; whole: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return { text: buffer.toString('utf8', 0, n), whole: n < buffer.length };
  } finally {
    closeSync(fd);
  }
}
