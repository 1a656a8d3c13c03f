import { statSync } from 'node:fs';
import path from 'node:path';
import type { Layout, TaskState } from '../../core/paths.js';
import { taskDir } from '../../core/paths.js';
import type { TaskSummary } from '../scan.js';
import { appendLines, indexFile } from './journal.js';
import { applyLine, type IndexModel, type PatchLine } from './model.js';
import { fileKey } from './stamp.js';

/**
 * Record what a full read of one file found, when its entry said otherwise
 * (an edit in place the folder's stamp does not show); under the queue lock.
 */
export function correctEntry(layout: Layout, model: IndexModel, state: TaskState, name: string, s: TaskSummary): void {
  const st = statSync(path.join(taskDir(layout, state), name), { throwIfNoEntry: false });
  const line: PatchLine = st
    ? { d: state, at: Date.now(), put: { [name]: { k: fileKey(st), s } }, del: [] }
    : { d: state, at: Date.now(), put: {}, del: [name] };
  applyLine(model, line);
  appendLines(indexFile(layout), [line]);
}

/** Whether two summaries say the same, a field left out and one set to undefined being the same. */
export function sameSummary(a: TaskSummary, b: TaskSummary | undefined): boolean {
  if (!b) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TaskSummary>;
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  return true;
}
