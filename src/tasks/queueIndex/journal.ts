import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Layout } from '../../core/paths.js';
import { applyLine, fromSnapshot, type IndexModel, type Line, pack, snapshotLine } from './model.js';

/**
 * The index on disk: `queue/.index`, JSON lines. The first is a snapshot
 * (version, a random generation, every folder's files and sign); each later
 * line is one change, appended under the queue lock. A process keeps the
 * model it read with the file's inode, generation and the offset it read up
 * to, and next time reads only the lines after it. The snapshot is rewritten
 * (a new file renamed over the old, so a new generation) when the lines after
 * it outgrow it. The index is never fsynced: it is a cache the folders can
 * rebuild, and a line lost to a crash leaves a folder whose stamp differs
 * from its sign, which is listed again.
 */
export function indexFile(layout: Layout): string {
  return path.join(layout.queue, '.index');
}

interface Loaded {
  ino: number;
  gen: string;
  /** Bytes read and applied: always just after a line's end. */
  offset: number;
  snapshotBytes: number;
  model: IndexModel;
}

const loaded = new Map<string, Loaded>();

export type LoadResult =
  | { ok: true; model: IndexModel; journalBytes: number; snapshotBytes: number; partialTail: boolean }
  | { ok: false; why: string };

/** The index as the file holds it now; `ok: false` when it is missing or cannot be trusted. */
export function loadIndex(file: string): LoadResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    loaded.delete(file);
    return { ok: false, why: 'missing' };
  }
  try {
    const st = fstatSync(fd);
    let cur = loaded.get(file);
    if (cur && (cur.ino !== st.ino || st.size < cur.offset || readGen(fd) !== cur.gen)) cur = undefined;
    if (!cur) {
      const whole = readRange(fd, 0, st.size);
      const end = whole.indexOf('\n');
      if (end < 0) return fail(file, 'no complete snapshot');
      let model: IndexModel | undefined;
      try {
        model = fromSnapshot(JSON.parse(whole.slice(0, end)));
      } catch {
        model = undefined;
      }
      if (!model) return fail(file, 'not a snapshot of this version');
      cur = { ino: st.ino, gen: model.gen, offset: end + 1, snapshotBytes: end + 1, model };
      const rest = applyLines(cur, whole.slice(end + 1));
      if (rest === undefined) return fail(file, 'a damaged line');
      loaded.set(file, cur);
      return done(cur, st.size);
    }
    const tail = readRange(fd, cur.offset, st.size - cur.offset);
    if (applyLines(cur, tail) === undefined) return fail(file, 'a damaged line');
    return done(cur, st.size);
  } finally {
    closeSync(fd);
  }
}

function done(cur: Loaded, size: number): LoadResult {
  return {
    ok: true,
    model: cur.model,
    journalBytes: cur.offset - cur.snapshotBytes,
    snapshotBytes: cur.snapshotBytes,
    partialTail: size > cur.offset,
  };
}

function fail(file: string, why: string): LoadResult {
  loaded.delete(file);
  return { ok: false, why };
}

/** Apply the complete lines of `text`, advancing the offset past each; undefined on a damaged line. */
function applyLines(cur: Loaded, text: string): true | undefined {
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    let line: unknown;
    try {
      line = JSON.parse(text.slice(start, end));
    } catch {
      return undefined;
    }
    if (!applyLine(cur.model, line, true)) return undefined;
    cur.offset += Buffer.byteLength(text.slice(start, end + 1));
    start = end + 1;
  }
  return true;
}

function readRange(fd: number, from: number, length: number): string {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return buf.toString('utf8', 0, got);
}

/** The generation from the snapshot's first bytes (`{"v":1,"gen":"<hex>"`). */
function readGen(fd: number): string | undefined {
  const head = readRange(fd, 0, 64);
  return /^\{"v":\d+,"gen":"([0-9a-f]+)"/.exec(head)?.[1];
}

/** Append lines to the index; under the queue lock. A missing index stays missing (the next reader builds it). */
export function appendLines(file: string, lines: readonly Line[]): void {
  if (lines.length === 0) return;
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND);
  } catch {
    return;
  }
  try {
    writeSync(fd, lines.map((l) => `${JSON.stringify(packLine(l))}\n`).join(''));
  } catch {
    // Best effort: a line not written leaves the folder's stamp unlike its sign, so it is listed again.
  } finally {
    closeSync(fd);
  }
}

/** A line with its entries packed as the file holds them (model.ts `pack`). */
function packLine(line: Line): unknown {
  if ('n' in line) return { ...line, e: line.e && pack(line.d, line.e) };
  const put: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(line.put)) put[name] = pack(line.d, e);
  return { ...line, put };
}

/** Cut a line a crashed writer left half-written, so the next line starts on its own; under the queue lock. */
export function dropPartialTail(file: string): void {
  const cur = loaded.get(file);
  if (cur) truncateSync(file, cur.offset);
}

/** Write the model as a new snapshot with a new generation; under the queue lock. */
export function writeSnapshot(file: string, tmpDir: string, model: IndexModel): void {
  model.gen = randomBytes(8).toString('hex');
  const text = snapshotLine(model);
  const tmp = path.join(tmpDir, `.index.${process.pid}.tmp`);
  try {
    mkdirSync(tmpDir, { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    const bytes = Buffer.byteLength(text);
    loaded.set(file, { ino: statSync(file).ino, gen: model.gen, offset: bytes, snapshotBytes: bytes, model });
  } catch {
    // A read-only queue goes unindexed: every reader lists the folders, as without an index.
    rmSync(tmp, { force: true });
  }
}

/** Forget what this process read (tests that damage the file by hand). */
export function forgetLoaded(): void {
  loaded.clear();
}
