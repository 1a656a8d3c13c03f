import type { Layout } from '../core/paths.js';
import { loadFenced } from './fenced.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

export interface ReleaseOptions {
  /** ISO time before which nobody may claim it again (for example a usage limit's reset). */
  notBefore?: string;
  /** Why it was released; recorded as `error: released: <note>`. */
  note?: string;
}

/**
 * claimed → incoming without charging an attempt: the task did not fail, the
 * fleet could not work on it (a usage limit, a shutdown). Fenced.
 */
export async function releaseTask(
  layout: Layout,
  id: string,
  token: string,
  options: ReleaseOptions = {},
): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadFenced(layout, id, token);
    task.lease = undefined;
    task.not_before = options.notBefore;
    if (options.note !== undefined) task.error = `released: ${options.note}`;
    return saveTask(layout, task, 'incoming');
  });
}
