import { existsSync, type FSWatcher, watch } from 'node:fs';
import path from 'node:path';

/**
 * Waiting for a lock directory to go: a waiter is woken the moment the holder
 * removes it (one fs.watch per folder of locks and process, shared by every
 * waiter in it), or when its timeout passes, whichever comes first. Polling
 * alone leaves the lock free and unused for half a poll interval on average
 * at every hand-off; the timeout stays as the net for file systems that send
 * no events and for holders that die without removing anything.
 */
interface FolderWatch {
  /** null when this folder cannot be watched: waiters rely on their timeouts. */
  watcher: FSWatcher | null;
  waiters: Map<string, Set<() => void>>;
}

const folders = new Map<string, FolderWatch>();

/** Resolves when `lockDir` is removed or after `ms`. True when a watch stands behind the wait. */
export function waitForRemoval(lockDir: string, ms: number): Promise<boolean> {
  const folder = watchFolder(path.dirname(lockDir));
  const name = path.basename(lockDir);
  return new Promise((resolve) => {
    const waiters = folder.waiters.get(name) ?? new Set<() => void>();
    folder.waiters.set(name, waiters);
    const wake = () => {
      clearTimeout(timer);
      waiters.delete(wake);
      if (waiters.size === 0) folder.waiters.delete(name);
      resolve(folder.watcher !== null);
    };
    const timer = setTimeout(wake, ms);
    waiters.add(wake);
    // Removed before this waiter was listening: its event has passed.
    if (!existsSync(lockDir)) wake();
  });
}

function watchFolder(dir: string): FolderWatch {
  let folder = folders.get(dir);
  if (folder) return folder;
  folder = { watcher: null, waiters: new Map() };
  const f = folder;
  try {
    f.watcher = watch(dir, { persistent: false }, (_event, changed) => {
      const name = changed?.toString();
      if (name === undefined) {
        // No name given: any lock of the folder may have gone.
        for (const [n, set] of f.waiters) if (!existsSync(path.join(dir, n))) for (const w of [...set]) w();
        return;
      }
      const set = f.waiters.get(name);
      if (set && !existsSync(path.join(dir, name))) for (const w of [...set]) w();
    });
    f.watcher.on('error', () => {
      // The folder went away or cannot be watched any more: forget it, timeouts take over.
      f.watcher?.close();
      f.watcher = null;
      folders.delete(dir);
    });
  } catch {
    f.watcher = null;
  }
  folders.set(dir, f);
  return f;
}
