import path from 'node:path';
import { type Layout, packageRoot } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { spawnDetachedNode } from '../process/detached.js';

/** Starts the merge queue's detached process; injected so tests can run it in their own process. */
export type BatchStarter = (layout: Layout) => Promise<ProcessIdentity>;

export function batchScript(): string {
  return path.join(packageRoot(), 'dist', 'merge-queue', 'batchMain.js');
}

/**
 * Start the queue's process detached, in a session of its own, its output
 * appended to the merge-queue log, as a tick starts a runner: the tick exits
 * at once and the test runs outlive it.
 */
export const spawnBatch: BatchStarter = (layout) =>
  spawnDetachedNode({
    script: batchScript(),
    args: ['--project', layout.root],
    cwd: layout.root,
    logs: layout.logs,
    logName: 'merge-queue',
    what: 'the merge queue process',
  });
