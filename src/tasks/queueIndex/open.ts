import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Layout, TASK_STATES, type TaskState, taskDir } from '../../core/paths.js';
import { withoutYoungGrowth } from '../../core/youngGeneration.js';
import { taskQueue } from '../folders.js';
import { type FullParse, fillUnknown, unknownNames } from './fill.js';
import { appendLines, dropPartialTail, indexFile, type LoadResult, loadIndex, writeSnapshot } from './journal.js';
import { emptyModel, type IndexModel, type Line } from './model.js';
import { auditKeys, relist, trusted } from './refresh.js';
import { fineStamps } from './stamp.js';

/** Up to this many incoming files, every claim compares each one's key: a few stat calls. */
export const AUDIT_ALWAYS_UP_TO = 256;

/** The lines after the snapshot may grow to the snapshot's size (at least this) before it is rewritten. */
const COMPACT_MIN_BYTES = 256 * 1024;

export interface OpenOptions {
  /** The folders the caller reads; each is checked against its sign and listed when it cannot be trusted. */
  states: readonly TaskState[];
  /**
   * Compare every incoming file's key with its entry (an edit in place
   * changes no folder stamp): at each open while incoming holds up to
   * AUDIT_ALWAYS_UP_TO files, else when the last such check is `everyMs` old.
   */
  audit?: { everyMs: number };
}

/**
 * The index, current with the folders the caller reads; the caller holds
 * the queue lock. A missing, damaged or other-version index is rebuilt from
 * the folders, never trusted. What was listed is written back.
 */
export async function openIndexLocked(layout: Layout, options: OpenOptions): Promise<IndexModel> {
  const file = indexFile(layout);
  const loaded = loadIndex(file);
  // Folders made now, not by the first move into each: a folder that appears after its sign was taken is one to list.
  if (!loaded.ok) {
    for (const s of TASK_STATES) mkdirSync(taskDir(layout, s), { recursive: true });
    // The done/failed summary cache this index replaced.
    rmSync(path.join(layout.queue, '.summaries.json'), { force: true });
  }
  const model = loaded.ok ? loaded.model : emptyModel('', fineStamps(taskDir(layout, 'incoming')));
  if (loaded.ok && loaded.partialTail) dropPartialTail(file);
  const states = loaded.ok ? options.states : TASK_STATES;
  const lines = bringUpToDate(layout, model, { ...options, states });
  lines.push(...(await fillAll(layout, model, states)));
  if (!loaded.ok || loaded.journalBytes > Math.max(COMPACT_MIN_BYTES, loaded.snapshotBytes))
    writeSnapshot(file, layout.tmp, model);
  else appendLines(file, lines);
  return model;
}

/**
 * The index for a reader that holds no lock (`queue-status`, the tick's
 * metrics). When it is current it is read as it is; otherwise the lock is
 * taken if free, to bring it up to date and write that back, and when it is
 * busy the folders are listed for this reader alone.
 */
export async function readIndex(layout: Layout, states: readonly TaskState[]): Promise<IndexModel> {
  const loaded = loadIndex(indexFile(layout));
  if (loaded.ok && states.every((s) => isCurrent(loaded, s, taskDir(layout, s)))) return loaded.model;
  // Loaded here: a reader that finds the index current never needs the lock library.
  const { LockBusyError } = await import('../../core/lock.js');
  const { withTokenLock } = await import('../../core/tokenLock.js');
  try {
    return await withTokenLock(taskQueue(layout).lockTarget, () => openIndexLocked(layout, { states }), { waitMs: 0 });
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
  }
  const model = loaded.ok ? loaded.model : emptyModel('', false);
  const all = loaded.ok ? states : TASK_STATES;
  bringUpToDate(layout, model, { states: all });
  await fillAll(layout, model, all);
  return model;
}

/**
 * `readIndex` for a synchronous reader (the tick's planning) that has the
 * full parse loaded: never takes the lock, never writes; a folder the index
 * does not vouch for is listed for this reader alone.
 */
export function readIndexSync(layout: Layout, states: readonly TaskState[], parse: FullParse): IndexModel {
  const loaded = loadIndex(indexFile(layout));
  if (loaded.ok && states.every((s) => isCurrent(loaded, s, taskDir(layout, s)))) return loaded.model;
  const model = loaded.ok ? loaded.model : emptyModel('', false);
  const all = loaded.ok ? states : TASK_STATES;
  bringUpToDate(layout, model, { states: all });
  for (const s of all) fillUnknown(model, s, taskDir(layout, s), parse);
  return model;
}

function isCurrent(loaded: Extract<LoadResult, { ok: true }>, state: TaskState, dir: string): boolean {
  return trusted(loaded.model, state, dir) && unknownNames(loaded.model, state).length === 0;
}

function bringUpToDate(layout: Layout, model: IndexModel, options: OpenOptions): Line[] {
  const lines: Line[] = [];
  for (const state of options.states) {
    const dir = taskDir(layout, state);
    const f = model.folders[state];
    const audit = state === 'incoming' ? options.audit : undefined;
    const now = Date.now();
    if (!trusted(model, state, dir)) {
      // A listing compares every key: it is an audit too.
      lines.push(withoutYoungGrowth(() => relist(model, state, dir, now)));
    } else if (
      audit !== undefined &&
      (f.files.size <= AUDIT_ALWAYS_UP_TO || Math.abs(now - f.audited) >= audit.everyMs)
    ) {
      lines.push(auditKeys(model, state, dir, now));
    }
  }
  return lines;
}

/** Summaries the fast reader could not give, by the full parse, loaded only when some are missing. */
async function fillAll(layout: Layout, model: IndexModel, states: readonly TaskState[]): Promise<Line[]> {
  if (states.every((s) => unknownNames(model, s).length === 0)) return [];
  const { parseTask } = await import('../format.js');
  const lines: Line[] = [];
  for (const s of states) {
    const line = fillUnknown(model, s, taskDir(layout, s), parseTask);
    if (line) lines.push(line);
  }
  return lines;
}
