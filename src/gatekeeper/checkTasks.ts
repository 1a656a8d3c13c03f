import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import { checksDir } from './store.js';

/**
 * What a check task (run by a gatekeeper agent) is about, kept beside the
 * verdicts rather than in the task file: `checks/tasks/<task>.json`.
 */
export interface CheckTaskSpec {
  subject: string;
  branch: string;
  base: string;
  head: string;
  check: string;
  required: boolean;
}

export function readCheckTask(layout: Layout, taskId: string): Promise<CheckTaskSpec | undefined> {
  return readJsonIfExists<CheckTaskSpec>(path.join(checksDir(layout), 'tasks', `${taskId}.json`));
}

export function writeCheckTask(layout: Layout, taskId: string, spec: CheckTaskSpec): Promise<void> {
  return writeJsonAtomic(path.join(checksDir(layout), 'tasks', `${taskId}.json`), spec);
}
