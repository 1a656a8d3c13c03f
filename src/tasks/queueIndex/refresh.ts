import { statSync } from 'node:fs';
import path from 'node:path';
import type { TaskState } from '../../core/paths.js';
import { listFileNames } from '../../core/queueFolder.js';
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
 * files gone dropped (a file the fast reader is unsure of is left without a
 * summary, for `fillUnknown`). The stamp is taken before the listing, so a change
 * made during it leaves a stamp unlike the sign. Returns the line that
 * records it, already applied.
 */
export function relist(model: IndexModel, state: TaskState, dir: string, audited: number): PatchLine {
  const reset = folderStamp(dir);
  const at = Date.now();
  const f = model.folders[state];
  const put: Record<string, Entry> = {};
  const seen = new Set<string>();
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
  }
  const del = [...f.files.keys()].filter((name) => !seen.has(name));
  const line: PatchLine = { d: state, reset, at, audited, put, del };
  applyLine(model, line);
  return line;
}

/**
 * Compare the key of every file the index holds for a trusted folder with
 * the file (no listing: the folder's stamp vouches for its names) and read
 * again those that changed in place. Returns the line recording the check.
 */
export function auditKeys(model: IndexModel, state: TaskState, dir: string, audited: number): PatchLine {
  const f = model.folders[state];
  const put: Record<string, Entry> = {};
  const del: string[] = [];
  for (const [name, old] of f.files) {
    const file = path.join(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) {
      del.push(name);
      continue;
    }
    if (old.k === fileKey(st) && (old.s || old.bad) && !(old.racy && !model.fine)) continue;
    const entry = quickEntry(file, st);
    if (entry) put[name] = entry;
    else del.push(name);
  }
  const line: PatchLine = { d: state, at: Date.now(), audited, put, del };
  applyLine(model, line);
  return line;
}
