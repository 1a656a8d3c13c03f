import path from 'node:path';
import { type Layout, TASK_STATES, type TaskState, taskDir } from '../../core/paths.js';
import type { QueueObserver } from '../../core/queueFolder.js';
import { quickEntry } from './entry.js';
import { appendLines, indexFile } from './journal.js';
import { folderStamp } from './stamp.js';

/**
 * Keeps the index current with the queue's own changes: around each rename
 * or link queueMoves.ts makes (under the queue lock) the folder is stamped
 * just before and just after, and one line records both stamps with the
 * file as it now is. A reader applies the line only as a continuation: when
 * its `pre` is not the sign the index held, something else changed the
 * folder in between and the folder is listed before it is trusted.
 */
export function indexObserver(layout: Layout): QueueObserver {
  const states = new Map<string, TaskState>(TASK_STATES.map((s) => [path.resolve(taskDir(layout, s)), s]));
  const file = indexFile(layout);
  const before = new Map<string, string>();
  return {
    changing(dir) {
      const d = path.resolve(dir);
      if (states.has(d)) before.set(d, folderStamp(d));
    },
    changed(dir, changedFile) {
      const d = path.resolve(dir);
      const state = states.get(d);
      if (!state) return;
      const post = folderStamp(d);
      const pre = before.get(d) ?? '';
      before.delete(d);
      appendLines(file, [
        { d: state, pre, post, at: Date.now(), n: path.basename(changedFile), e: quickEntry(changedFile) ?? null },
      ]);
    },
  };
}
