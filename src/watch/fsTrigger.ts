import { promises as fs } from 'node:fs';
import { type FSWatcher, watch } from 'chokidar';

export interface WatchTarget {
  /** A folder to watch; created when missing, so a later first file is seen. */
  dir: string;
  /** How deep below it (0 = its own entries). Keeps worktrees and logs out of the watch. */
  depth: number;
  /** Whether this event of this file counts (`add`, `change` or `unlink`). */
  accept(file: string, event: 'add' | 'change' | 'unlink'): boolean;
}

export interface FsTriggerOptions {
  targets: WatchTarget[];
  /** Changes within this long of each other make one call (at least MIN_DEBOUNCE_MS). */
  debounceMs: number;
  onChange(files: string[]): void;
  onError?(err: Error): void;
}

export interface FsTrigger {
  close(): Promise<void>;
}

/**
 * chokidar drops a `change` of a file that comes within 50 ms of the last
 * one it reported for that file (an atomic rewrite counts as a change too).
 * Waiting longer than that after the last reported event means the reader
 * sees the dropped change's effect as well.
 */
const MIN_DEBOUNCE_MS = 60;

/**
 * Call `onChange` once a burst of file changes settles. chokidar 5 has no
 * globs, so each target is a folder, a depth and a filter; and it reports a
 * rename (every queue move) as an add then an unlink: the debounce makes the
 * pair one change. Resolves once the watchers are ready, so a change made
 * after that is never missed.
 */
export async function watchFiles(options: FsTriggerOptions): Promise<FsTrigger> {
  const debounceMs = Math.max(options.debounceMs, MIN_DEBOUNCE_MS);
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  const fire = () => {
    timer = undefined;
    const files = [...changed];
    changed = new Set();
    options.onChange(files);
  };
  const watchers: FSWatcher[] = [];
  for (const target of options.targets) {
    await fs.mkdir(target.dir, { recursive: true });
    const watcher = watch(target.dir, { ignoreInitial: true, depth: target.depth, persistent: true });
    watcher.on('all', (event, file) => {
      if ((event !== 'add' && event !== 'change' && event !== 'unlink') || !target.accept(file, event)) return;
      changed.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    });
    watcher.on('error', (err) => options.onError?.(err instanceof Error ? err : new Error(String(err))));
    watchers.push(watcher);
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
  }
  return {
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}
