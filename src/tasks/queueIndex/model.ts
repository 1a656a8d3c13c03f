import { TASK_STATES, type TaskState } from '../../core/paths.js';
import type { TaskSummary } from '../scan.js';
import { DEFAULT_PRIORITY } from '../task.js';

/**
 * The queue index in memory: per folder its files with what claim order,
 * counts and the lifecycle need, and the sign it was last known by. Its
 * disk form is one file of JSON lines (journal.ts): a snapshot, then one
 * line per change.
 */
export interface Entry {
  /** The file's key when it was read (stamp.ts `fileKey`). */
  k: string;
  /** The summary; absent when the file must be read again (an unsure fast read at write time). */
  s?: TaskSummary;
  /** Why the full parse rejected the file. */
  bad?: string;
  /** Read within RACY_MS of its last change: read again at the next listing, unless stamps are fine. */
  racy?: true;
}

export interface FolderIndex {
  /** The folder's stamp after the last change the index knows of. */
  sign: string;
  /** When that sign was taken (ms). */
  at: number;
  /** When every file's key was last compared with the folder (ms). */
  audited: number;
  /** A change the index does not know of may have happened: list the folder before trusting it. */
  dirty: boolean;
  /** Change only through setEntry / deleteEntry, which keep the counts and the log below. */
  files: Map<string, Entry>;
  /** In memory only: entries with no summary that are not known unreadable (they wait for the full parse). */
  unknown: number;
  /** In memory only: entries the full parse rejected. */
  bad: number;
  /**
   * In memory only: the names set since this log began, oldest first, so a
   * reader that keeps something derived from `files` (view.ts's claim order)
   * updates it from the names instead of going over every file again.
   * Cleared when it grows past TOUCHED_MAX; `epoch` then counts up and such
   * a reader starts over.
   */
  touched: string[];
  epoch: number;
}

/** The most names the change log keeps before it starts again (a reader then rebuilds what it derived). */
export const TOUCHED_MAX = 4096;

const unknownOf = (e: Entry): number => (!e.s && e.bad === undefined ? 1 : 0);
const badOf = (e: Entry): number => (e.bad !== undefined ? 1 : 0);

export function setEntry(f: FolderIndex, name: string, e: Entry): void {
  putEntry(f, name, e);
  if (f.touched.length >= TOUCHED_MAX) {
    f.touched = [];
    f.epoch++;
  }
  f.touched.push(name);
}

/** Set an entry and keep the counts, without logging the name (a folder read from a snapshot, which nothing derives from yet). */
function putEntry(f: FolderIndex, name: string, e: Entry): void {
  const old = f.files.get(name);
  if (old) {
    f.unknown -= unknownOf(old);
    f.bad -= badOf(old);
  }
  f.files.set(name, e);
  f.unknown += unknownOf(e);
  f.bad += badOf(e);
}

export function deleteEntry(f: FolderIndex, name: string): void {
  const old = f.files.get(name);
  if (!old) return;
  f.unknown -= unknownOf(old);
  f.bad -= badOf(old);
  f.files.delete(name);
}

function emptyFolder(): FolderIndex {
  return { sign: '', at: 0, audited: 0, dirty: true, files: new Map(), unknown: 0, bad: 0, touched: [], epoch: 0 };
}

export interface IndexModel {
  gen: string;
  /** Whether the folders' filesystem gives fine stamps (stamp.ts `fineStamps`). */
  fine: boolean;
  folders: Record<TaskState, FolderIndex>;
}

/** One tickfleet change of a folder: the stamps just before and after it, and the file as it is now (null: gone). */
export interface ChangeLine {
  d: TaskState;
  pre: string;
  post: string;
  at: number;
  n: string;
  e: Entry | null;
}

/** A listing's result (`reset`: the folder's stamp before it was listed) or a correction (no `reset`). */
export interface PatchLine {
  d: TaskState;
  reset?: string;
  at: number;
  audited?: number;
  put: Record<string, Entry>;
  del: string[];
}

export type Line = ChangeLine | PatchLine;

export const INDEX_VERSION = 1;

export function emptyModel(gen: string, fine: boolean): IndexModel {
  const folders = {} as Record<TaskState, FolderIndex>;
  for (const s of TASK_STATES) folders[s] = emptyFolder();
  return { gen, fine, folders };
}

/**
 * Apply one line: as the file holds it (`packed`, entries packed: false when
 * it is not a line of this index, and the index is then rebuilt), or as made
 * in memory.
 */
export function applyLine(model: IndexModel, line: unknown, packed = false): boolean {
  const entry = (name: string, e: unknown): Entry | undefined => (packed ? unpack(name, e) : (e as Entry));
  if (!isObject(line) || typeof line.d !== 'string' || !(TASK_STATES as readonly string[]).includes(line.d))
    return false;
  const f = model.folders[line.d as TaskState];
  if ('n' in line) {
    const c = line as unknown as ChangeLine;
    if (typeof c.n !== 'string' || typeof c.post !== 'string') return false;
    const e = c.e === null ? null : entry(c.n, c.e);
    if (e === undefined) return false;
    // Continuity: a change that did not start from the sign the index knows means one it does not.
    if (c.pre !== f.sign) f.dirty = true;
    f.sign = c.post;
    f.at = c.at;
    if (e) setEntry(f, c.n, e);
    else deleteEntry(f, c.n);
    return true;
  }
  const p = line as unknown as PatchLine;
  if (!isObject(p.put) || !Array.isArray(p.del)) return false;
  for (const [name, raw] of Object.entries(p.put)) {
    const e = entry(name, raw);
    if (!e) return false;
    setEntry(f, name, e);
  }
  for (const name of p.del) deleteEntry(f, String(name));
  if (typeof p.reset === 'string') {
    f.sign = p.reset;
    f.at = p.at;
    f.dirty = false;
  }
  if (typeof p.audited === 'number') f.audited = p.audited;
  return true;
}

/** The snapshot line: version and generation first, where a reader checks them with a short read. */
export function snapshotLine(model: IndexModel): string {
  const folders: Record<string, unknown> = {};
  for (const s of TASK_STATES) {
    const f = model.folders[s];
    const files: Record<string, Packed> = {};
    for (const [name, e] of f.files) files[name] = pack(s, e);
    folders[s] = { sign: f.sign, at: f.at, audited: f.audited, dirty: f.dirty, files };
  }
  return `${JSON.stringify({ v: INDEX_VERSION, gen: model.gen, fine: model.fine, folders })}\n`;
}

/** The model a snapshot line holds, or undefined when it is not one of this version. */
export function fromSnapshot(line: unknown): IndexModel | undefined {
  if (!isObject(line) || line.v !== INDEX_VERSION || typeof line.gen !== 'string' || !isObject(line.folders))
    return undefined;
  const model = emptyModel(line.gen, line.fine === true);
  for (const s of TASK_STATES) {
    const raw = line.folders[s];
    if (!isObject(raw) || !isObject(raw.files) || typeof raw.sign !== 'string') return undefined;
    const f = emptyFolder();
    for (const [name, packed] of Object.entries(raw.files)) {
      const e = unpack(name, packed);
      if (!e) return undefined;
      putEntry(f, name, e);
    }
    f.sign = raw.sign;
    f.at = Number(raw.at) || 0;
    f.audited = Number(raw.audited) || 0;
    f.dirty = raw.dirty !== false;
    model.folders[s] = f;
  }
  return model;
}

/**
 * An entry as the file holds it, to keep a 10,000-task index small enough to
 * read at every `queue-status`: `[key]` (no summary yet), `[key, summary]`,
 * `[key, null, reason]` (unreadable), a fourth element 1 when racy. The
 * summary leaves out its id (the file's name) and fields at their default;
 * done and failed keep only what counts and blockers read (role,
 * blocked_by, lane, stage, cancelled_at).
 */
type Packed = [string, Record<string, unknown>?, string?, 1?] | [string, null, string, 1?];

const FINISHED_KEEPS = ['role', 'blocked_by', 'lane', 'stage', 'cancelled_at'];

export function pack(state: TaskState, e: Entry): Packed {
  const out: Packed = [e.k];
  if (e.s) {
    const s: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(e.s)) {
      if (key === 'id' || value === undefined) continue;
      if ((state === 'done' || state === 'failed') && !FINISHED_KEEPS.includes(key)) continue;
      if (key === 'expedite' && value === false) continue;
      if (key === 'priority' && value === DEFAULT_PRIORITY) continue;
      if (key === 'created' && value === '') continue;
      if (key === 'blocked_by' && Array.isArray(value) && value.length === 0) continue;
      s[key] = value;
    }
    out[1] = s;
  } else if (e.bad !== undefined) {
    return e.racy ? [e.k, null, e.bad, 1] : [e.k, null, e.bad];
  }
  if (e.racy) {
    out[1] ??= undefined;
    out[2] = undefined;
    out[3] = 1;
  }
  return out;
}

/** The entry a packed one holds; undefined when it is not one (the index is then rebuilt). */
export function unpack(name: string, packed: unknown): Entry | undefined {
  if (!Array.isArray(packed) || typeof packed[0] !== 'string') return undefined;
  const e: Entry = { k: packed[0] };
  if (packed[3] === 1) e.racy = true;
  if (typeof packed[2] === 'string') e.bad = packed[2];
  const p = packed[1];
  if (p === null || p === undefined) return e;
  if (!isObject(p) || typeof p.role !== 'string') return undefined;
  const blocked = p.blocked_by ?? [];
  if (!Array.isArray(blocked)) return undefined;
  // Filled in place: the parsed object becomes the summary (10,000 of them are read per `queue-status`).
  const full = p as Record<string, unknown>;
  full.id = name.slice(0, -3);
  if (typeof full.priority !== 'string') full.priority = DEFAULT_PRIORITY;
  full.expedite = full.expedite === true;
  if (typeof full.created !== 'string') full.created = '';
  full.blocked_by = blocked;
  e.s = full as unknown as TaskSummary;
  return e;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
