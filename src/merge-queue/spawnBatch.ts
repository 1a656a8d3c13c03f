import { spawn } from 'node:child_process';
import { closeSync, promises as fs, openSync } from 'node:fs';
import path from 'node:path';
import { localDay } from '../core/clock.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { type ProcessIdentity, processStartTime, UNKNOWN_START } from '../core/processInfo.js';

/** Starts the merge queue's detached process; injected so tests can run it in their own process. */
export type BatchStarter = (layout: Layout) => Promise<ProcessIdentity>;

export function batchScript(): string {
  return path.join(packageRoot(), 'dist', 'merge-queue', 'batchMain.js');
}

/**
 * Start the queue's process detached, in a session of its own, its output
 * appended to the merge-queue log, as a tick starts a runner: the tick exits
 * at once and the test runs outlive it. Spawned directly (not through
 * src/process/) for that reason.
 */
export const spawnBatch: BatchStarter = async (layout) => {
  await fs.mkdir(layout.logs, { recursive: true });
  const fd = openSync(path.join(layout.logs, `merge-queue-${localDay(new Date())}.log`), 'a');
  try {
    const child = spawn(process.execPath, [batchScript(), '--project', layout.root], {
      cwd: layout.root,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    if (child.pid === undefined) throw new Error('the merge queue process has no pid');
    return { pid: child.pid, start: (await processStartTime(child.pid)) ?? UNKNOWN_START };
  } finally {
    closeSync(fd);
  }
};
