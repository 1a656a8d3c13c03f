import path from 'node:path';
import { type Layout, TASK_STATES, taskDir } from '../core/paths.js';
import type { QueueFolders } from '../core/queueFolder.js';
import { indexObserver } from './queueIndex/observer.js';
import type { TaskState } from './task.js';

/** The task queue's folders, lock and temp dir. Kept apart from store.ts so counting loads no parser and no lock library. */
export function taskQueue(layout: Layout): QueueFolders<TaskState> {
  return {
    noun: 'task',
    states: TASK_STATES,
    dir: (state) => taskDir(layout, state),
    lockTarget: path.join(layout.locks, 'task-queue'),
    tmpDir: layout.tmp,
    observer: indexObserver(layout),
  };
}
