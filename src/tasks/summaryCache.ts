import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { fileOf, listIds, QueueFileError, type QueueFolders, readTextSync } from '../core/queueFolder.js';
import { summarizeTask, type TaskSummary } from './scan.js';
import type { DeliveryStage } from './stage.js';
import type { TaskState } from './task.js';

/**
 * What is known of queue files without reading them again. One cache, with
 * one rule for when an entry may be trusted: when nothing that every queue
 * write changes has changed. Tickfleet writes a queue file only by renaming
 * or linking a new inode into its folder (writeFileAtomic), which changes
 * both the folder's mtime and the file's inode; an editor's save in place
 * changes the file's size or times. The rule is applied at the level each
 * reader can afford:
 *
 * - Whole folders, on disk (`queue-status`, done and failed): reading 10,000
 *   task files costs 10,000 opens, and most of them are finished tasks nobody
 *   touches. A folder's summaries are trusted while the folder's identity and
 *   mtime are unchanged, as git's untracked cache trusts a directory's. A
 *   folder changed within RACY_MS of being read is not cached, since a change
 *   in the same timestamp tick would go unseen. Names are still listed every
 *   time, so counts are always exact; only a file edited in place (not
 *   renamed) in these folders could show its old role until the folder next
 *   changes.
 * - Single files, in memory (a claim, incoming): a process that claims many
 *   times (a long tick, the tests) would re-read every incoming file per
 *   claim, and incoming changes too often for the folder rule. A file's
 *   summary is kept while its inode, size and times are unchanged. The
 *   summary only ranks candidates; the chosen file is read again in full
 *   under the lock.
 */
export const CACHED_STATES: readonly TaskState[] = ['done', 'failed'];

const RACY_MS = 2_000;
// 2: summaries carried what the lifecycle needs (stage, a cancelled flag);
// 3: cancelled_at as the task file has it, as the fast reader returns it.
const VERSION = 3;

export interface FileSummary {
  role: string;
  blocked_by: readonly string[];
  stage?: DeliveryStage;
  cancelled_at?: string;
}

interface FolderEntry {
  /** The folder's identity and mtime when it was read, `<ino>:<mtimeNs>`. */
  stamp: string;
  files: Record<string, FileSummary>;
}

type CacheFile = { version: number } & Partial<Record<TaskState, FolderEntry>>;

export function summaryCacheFile(layout: Layout): string {
  return path.join(layout.queue, '.summaries.json');
}

/** A folder's stamp, and whether it is old enough to cache; undefined when it does not exist. */
export function folderStamp(dir: string, nowMs: number): { stamp: string; settled: boolean } | undefined {
  try {
    const st = statSync(dir, { bigint: true });
    return { stamp: `${st.ino}:${st.mtimeNs}`, settled: nowMs - Number(st.mtimeNs / 1_000_000n) > RACY_MS };
  } catch {
    return undefined;
  }
}

export class SummaryCache {
  private readonly fresh: Partial<Record<TaskState, FolderEntry>> = {};
  private changed = false;

  private constructor(
    private readonly file: string,
    /** Where the temp file is written: the tick clears what a killed writer leaves there. */
    private readonly tmpDir: string,
    private readonly old: CacheFile,
  ) {}

  /** The cache on disk; an empty one when it is missing, unreadable or of another version. */
  static load(layout: Layout): SummaryCache {
    const file = summaryCacheFile(layout);
    let old: CacheFile = { version: VERSION };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (parsed?.version === VERSION) old = parsed;
    } catch {
      // Missing or damaged: start over; it is only a cache.
    }
    return new SummaryCache(file, layout.tmp, old);
  }

  /** The summaries recorded for a folder with this stamp, or undefined when the folder changed since. */
  lookup(state: TaskState, stamp: string): Record<string, FileSummary> | undefined {
    const entry = this.old[state];
    return entry && entry.stamp === stamp ? entry.files : undefined;
  }

  /** Record a folder read whole while it carried this stamp. */
  record(state: TaskState, stamp: string, files: Record<string, FileSummary>): void {
    this.fresh[state] = { stamp, files };
    if (this.old[state]?.stamp !== stamp) this.changed = true;
  }

  /** Write the recorded folders, if any changed. Best effort: a read-only queue just goes uncached. */
  save(): void {
    if (!this.changed) return;
    const tmp = path.join(this.tmpDir, `.summaries.json.${process.pid}.tmp`);
    try {
      mkdirSync(this.tmpDir, { recursive: true });
      writeFileSync(tmp, JSON.stringify({ version: VERSION, ...this.fresh }));
      renameSync(tmp, this.file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Left for the tick's clean-up of old temp files.
      }
    }
  }
}

export interface SummaryRead {
  summaries: (TaskSummary & { file: string })[];
  /** Files neither the fast reader nor the full parse could read (the caller decides whether to quarantine). */
  unreadable: { file: string; reason: string }[];
}

type FileEntry = { key: string; summary: TaskSummary };
/** Per folder; rebuilt on each read so entries of files that left the folder are dropped. */
const byFile = new Map<string, Map<string, FileEntry>>();

function fileKey(file: string): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st && `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/**
 * Summaries of every file in one folder, each trusted by its own stat: the
 * fast reader first, the full parser (passed in, so callers that only count
 * need not load it) when the fast reader is unsure.
 */
export function readSummaries(
  q: QueueFolders<TaskState>,
  state: TaskState,
  fullParse: (text: string, file: string) => TaskSummary,
): SummaryRead {
  const out: SummaryRead = { summaries: [], unreadable: [] };
  const previous = byFile.get(q.dir(state)) ?? new Map<string, FileEntry>();
  const current = new Map<string, FileEntry>();
  byFile.set(q.dir(state), current);
  for (const id of listIds(q, state)) {
    const file = fileOf(q, state, id);
    const key = fileKey(file);
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
      if (fileKey(file) === key) current.set(file, { key, summary });
      out.summaries.push({ ...summary, file });
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      out.unreadable.push({ file, reason: err.message });
    }
  }
  return out;
}
