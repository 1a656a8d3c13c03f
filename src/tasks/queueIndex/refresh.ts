import { statSync } from 'node:fs';
import path from 'node:path';
import type { TaskState } from '../../core/paths.js';
import { listFileNames, QueueFileError, readTextSync } from '../../core/queueFolder.js';
import { pick, summarizeTask } from '../scan.js';
import { quickEntry } from './entry.js';
import { applyLine, type Entry, type IndexModel, type PatchLine } from './model.js';
import { fileKey, folderStamp, RACY_MS, stampMs } from './stamp.js';

/**
 * Whether the index may answer for a folder without listing it: no unknown
 * change was seen, the folder's stamp is the sign the last change left, and
 * that sign cannot hide a later change in the same clock tick (fine stamps,
 * or a sign taken RACY_MS after the change it records).
 */
export function trusted(model: IndexModel, state: TaskState, dir: string): boolean {
  const f = model.folders[state];
  if (f.dirty || f.sign === '' || folderStamp(dir) !== f.sign) return false;
  return model.fine || f.sign === '-' || f.at - stampMs(f.sign) >= RACY_MS;
}

/**
 * List a folder and fold what differs into the model: new files read, files
 * whose key changed (or that were racy, or never summarised) read again,
 * files gone dropped. The stamp is taken before the listing, so a change
 * made during it leaves a stamp unlike the sign. Returns the line that
 * records it, already applied.
 */
export async function relist(model: IndexModel, state: TaskState, dir: string, audited: number): Promise<PatchLine> {
  const reset = folderStamp(dir);
  const at = Date.now();
  const f = model.folders[state];
  const put: Record<string, Entry> = {};
  const seen = new Set<string>();
  const unsure: string[] = [];
  for (const name of listFileNames(dir)) {
    const file = path.join(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) continue; // moved since the listing
    seen.add(name);
    const old = f.files.get(name);
    if (old && old.k === fileKey(st) && (old.s || old.bad) && !(old.racy && !model.fine)) continue;
    const entry = quickEntry(file, st);
    if (!entry) {
      seen.delete(name);
      continue;
    }
    put[name] = entry;
    if (!entry.s) unsure.push(name);
  }
  if (unsure.length > 0) await fullParse(dir, state, unsure, put);
  const del = [...f.files.keys()].filter((name) => !seen.has(name));
  const line: PatchLine = { d: state, reset, at, audited, put, del };
  applyLine(model, line);
  return line;
}

/** The whole file, then the full parser, for files the fast reader was unsure of. */
async function fullParse(dir: string, state: TaskState, names: string[], put: Record<string, Entry>): Promise<void> {
  const { parseTask } = await import('../format.js');
  for (const name of names) {
    const entry = put[name]!;
    const file = path.join(dir, name);
    const text = readTextSync(file);
    if (text === undefined) continue; // gone: the next listing drops it
    try {
      entry.s = summarizeTask(text, name.slice(0, -3)) ?? pick(parseTask(text, file, state));
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      entry.bad = err.message;
    }
  }
}

/**
 * Compare the key of every file the index holds for a trusted folder with
 * the file (no listing: the folder's stamp vouches for its names) and read
 * again those that changed in place. Returns the line recording the check.
 */
export async function auditKeys(model: IndexModel, state: TaskState, dir: string, audited: number): Promise<PatchLine> {
  const f = model.folders[state];
  const put: Record<string, Entry> = {};
  const del: string[] = [];
  const unsure: string[] = [];
  for (const [name, old] of f.files) {
    const file = path.join(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) {
      del.push(name);
      continue;
    }
    if (old.k === fileKey(st) && (old.s || old.bad) && !(old.racy && !model.fine)) continue;
    const entry = quickEntry(file, st);
    if (!entry) del.push(name);
    else {
      put[name] = entry;
      if (!entry.s) unsure.push(name);
    }
  }
  if (unsure.length > 0) await fullParse(dir, state, unsure, put);
  const line: PatchLine = { d: state, at: Date.now(), audited, put, del };
  applyLine(model, line);
  return line;
}
