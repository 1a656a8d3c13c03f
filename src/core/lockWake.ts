import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import path from 'node:path';

/**
 * Waiting for a lock to be let go: a waiter is woken the moment the holder
 * releases it (one fs.watch per folder and process, shared by every waiter
 * in it), or when its timeout passes, whichever comes first. Polling alone
 * leaves the lock free and unused for half a poll interval on average at
 * every hand-off; the timeout stays as the net for file systems that send no
 * events and for holders that die without releasing anything.
 *
 * A mkdir lock (lock.ts) is let go when its folder is removed from its
 * parent; a token lock (tokenLock.ts) when `token` appears in its folder.
 */
interface FolderWatch {
  /** null when this folder cannot be watched: waiters rely on their timeouts. */
  watcher: FSWatcher | null;
  /** The watched folder's inode: a folder replaced under the same name is watched again. */
  ino: number;
  /** Per name, the waiters and the test that wakes them. */
  waiters: Map<string, { ready: () => boolean; wakes: Set<() => void> }>;
}

const folders = new Map<string, FolderWatch>();

/** Resolves when `lockDir` is removed or after `ms`. True when a watch stands behind the wait. */
export function waitForRemoval(lockDir: string, ms: number): Promise<boolean> {
  return waitFor(path.dirname(lockDir), path.basename(lockDir), () => !existsSync(lockDir), ms);
}

/** Resolves when `dir/name` exists or after `ms`. True when a watch stands behind the wait. */
export function waitForEntry(dir: string, name: string, ms: number): Promise<boolean> {
  const file = path.join(dir, name);
  return waitFor(dir, name, () => existsSync(file), ms);
}

function waitFor(dir: string, name: string, ready: () => boolean, ms: number): Promise<boolean> {
  const folder = watchFolder(dir);
  return new Promise((resolve) => {
    const entry = folder.waiters.get(name) ?? { ready, wakes: new Set<() => void>() };
    folder.waiters.set(name, entry);
    const wake = () => {
      clearTimeout(timer);
      entry.wakes.delete(wake);
      if (entry.wakes.size === 0 && folder.waiters.get(name) === entry) folder.waiters.delete(name);
      resolve(folder.watcher !== null);
    };
    const timer = setTimeout(wake, ms);
    entry.wakes.add(wake);
    // Let go before this waiter was listening: its event has passed.
    if (ready()) wake();
  });
}

function inode(dir: string): number {
  return statSync(dir, { throwIfNoEntry: false })?.ino ?? -1;
}

function watchFolder(dir: string): FolderWatch {
  const ino = inode(dir);
  let folder = folders.get(dir);
  if (folder && folder.ino === ino) return folder;
  folder?.watcher?.close();
  folder = { watcher: null, ino, waiters: folder?.waiters ?? new Map() };
  const f = folder;
  try {
    f.watcher = watch(dir, { persistent: false }, (_event, changed) => {
      const name = changed?.toString();
      if (name === undefined) {
        // No name given: any waiter of the folder may be free to go.
        for (const entry of [...f.waiters.values()]) if (entry.ready()) for (const w of [...entry.wakes]) w();
        return;
      }
      const entry = f.waiters.get(name);
      if (entry?.ready()) for (const w of [...entry.wakes]) w();
    });
    f.watcher.on('error', () => {
      // The folder went away or cannot be watched any more: forget it, timeouts take over.
      f.watcher?.close();
      f.watcher = null;
      if (folders.get(dir) === f) folders.delete(dir);
    });
  } catch {
    f.watcher = null;
  }
  folders.set(dir, f);
  return f;
}
