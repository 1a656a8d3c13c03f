import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { ExitError, isMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { listFileNames } from '../core/queueFolder.js';
import { cancelTask } from '../tasks/cancel.js';
import { taskQueue } from '../tasks/folders.js';
import { readCheckTask } from './checkTasks.js';
import { GATEKEEPER } from './fixTask.js';
import { checksDir } from './store.js';
import type { WaitingBranch } from './waiting.js';

/**
 * A check task still queued for a head its branch has moved past would spend
 * a gatekeeper run (and its budget) on a verdict that is never applied: it is
 * cancelled before an agent claims it, and the pass queues the check for the
 * new head. A check task already claimed runs on; its verdict is kept under
 * its own head and not applied. Returns the ids cancelled.
 */
export async function cancelStaleCheckTasks(
  layout: Layout,
  branches: readonly WaitingBranch[],
  options: { clock: Clock; log: (line: string) => void },
): Promise<string[]> {
  const heads = new Map(branches.map((b) => [b.subject, b.head]));
  if (heads.size === 0) return [];
  let specs: Set<string>;
  try {
    specs = new Set(await readdir(path.join(checksDir(layout), 'tasks')));
  } catch (err) {
    if (isMissing(err)) return []; // no check task was ever queued
    throw err;
  }
  const cancelled: string[] = [];
  for (const name of listFileNames(taskQueue(layout).dir('incoming'))) {
    const id = name.slice(0, -'.md'.length);
    if (!specs.has(`${id}.json`)) continue;
    const spec = await readCheckTask(layout, id);
    const head = spec && heads.get(spec.subject);
    if (!spec || head === undefined || head === spec.head) continue;
    const reason = `its branch ${spec.branch} moved on from ${spec.head.slice(0, 12)} to ${head.slice(0, 12)}`;
    try {
      await cancelTask(layout, id, { reason, by: GATEKEEPER, clock: options.clock });
    } catch (err) {
      // Claimed, finished or removed meanwhile: nothing queued is left to save.
      if (!(err instanceof ExitError)) throw err;
      continue;
    }
    options.log(`gatekeeper: ${spec.subject}: cancelled ${id} (${spec.check} at ${spec.head.slice(0, 12)}): ${reason}`);
    cancelled.push(id);
  }
  return cancelled;
}
