import { TASK_STATES, type TaskState } from '../../core/paths.js';
import type { TaskSummary } from '../scan.js';

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
  files: Map<string, Entry>;
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
  for (const s of TASK_STATES) folders[s] = { sign: '', at: 0, audited: 0, dirty: true, files: new Map() };
  return { gen, fine, folders };
}

/** Apply one journal line; false when it is not a line of this index (the index is then rebuilt). */
export function applyLine(model: IndexModel, line: unknown): boolean {
  if (!isObject(line) || typeof line.d !== 'string' || !(TASK_STATES as readonly string[]).includes(line.d))
    return false;
  const f = model.folders[line.d as TaskState];
  if ('n' in line) {
    const c = line as unknown as ChangeLine;
    if (typeof c.n !== 'string' || typeof c.post !== 'string' || !validEntry(c.e, true)) return false;
    // Continuity: a change that did not start from the sign the index knows means one it does not.
    if (c.pre !== f.sign) f.dirty = true;
    f.sign = c.post;
    f.at = c.at;
    if (c.e) f.files.set(c.n, c.e);
    else f.files.delete(c.n);
    return true;
  }
  const p = line as unknown as PatchLine;
  if (!isObject(p.put) || !Array.isArray(p.del)) return false;
  for (const [name, e] of Object.entries(p.put)) {
    if (!validEntry(e, false)) return false;
    f.files.set(name, e as Entry);
  }
  for (const name of p.del) f.files.delete(String(name));
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
    folders[s] = { sign: f.sign, at: f.at, audited: f.audited, dirty: f.dirty, files: Object.fromEntries(f.files) };
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
    const files = new Map<string, Entry>();
    for (const [name, e] of Object.entries(raw.files)) {
      if (!validEntry(e, false)) return undefined;
      files.set(name, e as Entry);
    }
    model.folders[s] = {
      sign: raw.sign,
      at: Number(raw.at) || 0,
      audited: Number(raw.audited) || 0,
      dirty: raw.dirty !== false,
      files,
    };
  }
  return model;
}

function validEntry(e: unknown, nullable: boolean): boolean {
  if (e === null) return nullable;
  if (!isObject(e) || typeof e.k !== 'string') return false;
  if (e.s === undefined) return true;
  const s = e.s;
  return isObject(s) && typeof s.id === 'string' && typeof s.role === 'string' && Array.isArray(s.blocked_by);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
