import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { loadFenced } from './fenced.js';
import type { DeliveryStage } from './stage.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task, TaskResult } from './task.js';

export interface CompleteOptions {
  result: TaskResult;
  /** Notes for whoever picks up next; appended to the body under `## Handoff`. */
  handoff?: string;
  /**
   * Where the delivered branch is: in_review after a submit for review,
   * merged after a skip_pr merge; none when the run had no branch to merge.
   */
  stage?: DeliveryStage;
  clock?: Clock;
}

/** claimed → done, fenced by the lease token; the lifecycle goes on from the stage given (tasks/lifecycle.ts). */
export async function completeTask(layout: Layout, id: string, token: string, options: CompleteOptions): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadFenced(layout, id, token);
    task.result = { ...options.result };
    task.lease = undefined;
    task.not_before = undefined;
    task.stage = options.stage;
    task.stage_at = options.stage ? isoSeconds((options.clock ?? systemClock).now()) : undefined;
    if (options.handoff !== undefined && options.handoff.trim() !== '')
      task.body = appendSection(task.body, 'Handoff', options.handoff);
    return saveTask(layout, task, 'done');
  });
}

/** Append `## <heading>` and its text after the body, leaving the body itself untouched. */
export function appendSection(body: string, heading: string, text: string): string {
  const sep = body === '' ? '\n' : body.endsWith('\n\n') ? '' : body.endsWith('\n') ? '\n' : '\n\n';
  return `${body}${sep}## ${heading}\n${text.trim()}\n`;
}
