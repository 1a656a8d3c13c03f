import { statSync } from 'node:fs';
import { QueueFileError, fileOf, listIds, readTextSync, type QueueFolders } from '../core/queueFolder.js';
import { summarizeTask, type TaskSummary } from './scan.js';
import type { TaskState } from './types.js';

export interface SummaryRead {
  summaries: (TaskSummary & { file: string })[];
  /** Files neither the scan nor the full parse could read (the caller decides whether to quarantine). */
  unreadable: { file: string; reason: string }[];
}

/**
 * A process that claims many times (a long tick, the tests) would re-read
 * every incoming file per claim. A file's summary is kept while its inode,
 * size and times are unchanged: every queue write renames a new inode into
 * place, and an editor's in-place save changes the times. The summary only
 * ranks candidates; the chosen file is read again in full under the lock.
 */
type Entry = { key: string; summary: TaskSummary };
/** Per folder; rebuilt on each read so entries of files that left the folder are dropped. */
const cache = new Map<string, Map<string, Entry>>();

function statKey(file: string): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st && `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/**
 * Summaries of every file in one folder: the light scan first, the full
 * parser (passed in, so callers that only count need not load it) when the
 * scan is unsure.
 */
export function readSummaries(
  q: QueueFolders<TaskState>,
  state: TaskState,
  fullParse: (text: string, file: string) => TaskSummary,
): SummaryRead {
  const out: SummaryRead = { summaries: [], unreadable: [] };
  const previous = cache.get(q.dir(state)) ?? new Map<string, Entry>();
  const current = new Map<string, Entry>();
  cache.set(q.dir(state), current);
  for (const id of listIds(q, state)) {
    const file = fileOf(q, state, id);
    const key = statKey(file);
    if (key === undefined) continue; // moved by another process since readdir
    const hit = previous.get(file);
    if (hit && hit.key === key) {
      current.set(file, hit);
      out.summaries.push({ ...hit.summary, file });
      continue;
    }
    const text = readTextSync(file);
    if (text === undefined) continue;
    try {
      const summary = summarizeTask(text, id) ?? fullParse(text, file);
      // Cache only when the file did not change while it was read.
      if (statKey(file) === key) current.set(file, { key, summary });
      out.summaries.push({ ...summary, file });
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      out.unreadable.push({ file, reason: err.message });
    }
  }
  return out;
}
