import type { Layout } from '../core/paths.js';
import { readStates } from '../core/queueMoves.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { expectState, loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';

/** failed → incoming with attempts reset; the last error stays for whoever picks it up. */
export async function retryTask(layout: Layout, id: string): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadTaskLocked(layout, id);
    expectState(task, ['failed'], 'retried');
    return saveTask(layout, reset(task), 'incoming');
  });
}

/** Retry every failed task; cancelled ones only when asked. */
export async function retryFailed(layout: Layout, options: { includeCancelled?: boolean } = {}): Promise<Task[]> {
  return withTaskLock(layout, async () => {
    const { items } = await readStates(taskQueue(layout), ['failed'], parseTask, { locked: true });
    const retried: Task[] = [];
    for (const task of items) {
      if (task.cancelled_at !== undefined && !options.includeCancelled) continue;
      retried.push(await saveTask(layout, reset(task), 'incoming'));
    }
    return retried;
  });
}

function reset(task: Task): Task {
  task.attempts = 0;
  task.not_before = undefined;
  task.cancelled_at = undefined;
  task.lease = undefined;
  return task;
}
