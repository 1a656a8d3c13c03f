import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../core/paths.js';
import type { DeliveryStage } from './stage.js';
import type { TaskState } from './types.js';

/**
 * What `queue-status` needs of each file in the folders that hold most of a
 * long-lived queue and change least: done and failed. Reading 10,000 task
 * files costs 10,000 opens; most of them are finished tasks nobody touches.
 *
 * A folder's summaries are trusted while the folder's mtime is unchanged, as
 * git's untracked cache trusts a directory's: tickfleet only ever writes a
 * queue file by renaming or linking it into its folder, which changes the
 * folder's mtime. A folder changed within RACY_MS of being read is not cached,
 * since a change in the same timestamp tick would go unseen. Names are still
 * listed every time, so counts are always exact; only a file edited in place
 * (not renamed) in these folders could show its old role until the folder
 * next changes.
 */
export const CACHED_STATES: readonly TaskState[] = ['done', 'failed'];

const RACY_MS = 2_000;
// 2: summaries carry what the lifecycle needs (stage, cancelled).
const VERSION = 2;

export interface FileSummary {
  role: string;
  blocked_by: readonly string[];
  stage?: DeliveryStage;
  cancelled?: boolean;
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
