import { fileOf, listIds, QueueFileError, type QueueFolders, readHeadSync, readTextSync } from '../core/queueFolder.js';
import { parseTask } from './format.js';
import { type Lifecycle, lifecycleLabel, releasesDependents, taskLifecycle } from './lifecycle.js';
import { countTask } from './scan.js';
import type { TaskState } from './task.js';

/**
 * Whether each blocked_by id is met: the blocker is in done/ and its change
 * is on the base (merged) or it had none to merge (finished, no stage). A
 * blocker whose branch was only delivered is not met yet.
 */
export interface Blockers {
  met(id: string): boolean;
  /** The lifecycle of a blocker that is in done/ but not met (in_review, approved, ...); undefined otherwise. */
  awaitingMerge(id: string): Lifecycle | undefined;
}

const HEAD_BYTES = 4096;

/**
 * Blockers as the done folder has them now. The folder is listed once; a done
 * file's head is read only for ids some task is blocked by, once each.
 */
export function doneBlockers(q: QueueFolders<TaskState>): Blockers {
  const done = new Set(listIds(q, 'done'));
  const lifecycles = new Map<string, Lifecycle>();
  let buffer: Buffer | undefined;
  const lifecycleOf = (id: string): Lifecycle | undefined => {
    if (!done.has(id)) return undefined;
    let found = lifecycles.get(id);
    if (found === undefined) {
      buffer ??= Buffer.allocUnsafe(HEAD_BYTES);
      found = readLifecycle(fileOf(q, 'done', id), buffer);
      lifecycles.set(id, found);
    }
    return found;
  };
  return blockersFrom(lifecycleOf);
}

/** Blockers from the lifecycle of each done task (undefined: not in done/). */
export function blockersFrom(lifecycleOf: (id: string) => Lifecycle | undefined): Blockers {
  return {
    met: (id) => {
      const l = lifecycleOf(id);
      return l !== undefined && releasesDependents(l);
    },
    awaitingMerge: (id) => {
      const l = lifecycleOf(id);
      return l !== undefined && !releasesDependents(l) ? l : undefined;
    },
  };
}

/**
 * A done task's lifecycle from its head (the fast reader), the whole file
 * when unsure. A file gone meanwhile or unreadable counts as finished, as a
 * done id always did: the listing quarantines an unreadable one, and its
 * dependents then report an unknown blocker.
 */
function readLifecycle(file: string, buffer: Buffer): Lifecycle {
  const head = readHeadSync(file, buffer);
  if (!head) return 'finished';
  // A head cut mid-file: drop its last, possibly partial, line; the metadata must end before it.
  const counted = countTask(head.whole ? head.text : head.text.slice(0, head.text.lastIndexOf('\n') + 1), !head.whole);
  if (counted) return taskLifecycle({ state: 'done', stage: counted.stage });
  const text = head.whole ? head.text : readTextSync(file);
  if (text === undefined) return 'finished';
  try {
    const read = (head.whole ? undefined : countTask(text)) ?? parseTask(text, file, 'done');
    return taskLifecycle({ state: 'done', stage: read.stage });
  } catch (err) {
    if (err instanceof QueueFileError) return 'finished';
    throw err;
  }
}

/**
 * Why a task's blockers hold it, in one phrase: "blocked by TASK-a",
 * "waits for TASK-x to be merged (in review)", or both joined by "; ".
 */
export function blockedText(ids: readonly string[], blockers: Blockers): string {
  const open: string[] = [];
  const awaiting: string[] = [];
  for (const id of ids) {
    const l = blockers.awaitingMerge(id);
    if (l) awaiting.push(`${id} to be merged (${lifecycleLabel(l)})`);
    else open.push(id);
  }
  return [
    open.length > 0 ? `blocked by ${open.join(', ')}` : '',
    awaiting.length > 0 ? `waits for ${awaiting.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
