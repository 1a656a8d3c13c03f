import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { DeliveryStage } from './stage.js';
import type { Task } from './task.js';
import { updateTask } from './update.js';

export interface SetStageOptions {
  clock?: Clock;
  /** Why the stage changed (a rejection's reason, a failed merge); kept as a line under `## Delivery`. */
  reason?: string;
}

/**
 * Record where a finished task's branch is now (tasks/stage.ts), under the
 * queue lock. Only a task in done/ has a delivery stage: anything else is a
 * one-line ExitError naming the id and its folder, as is a missing task.
 * Setting the stage it already has changes nothing, so a repeated poll does
 * not rewrite the file.
 */
export async function setTaskStage(
  layout: Layout,
  id: string,
  stage: DeliveryStage,
  options: SetStageOptions = {},
): Promise<Task> {
  return updateTask(layout, id, (task) => {
    if (task.state !== 'done')
      throw new ExitError(`${id} is in ${task.state}; only a task in done can be given the stage ${stage}`);
    const reason = options.reason?.trim().replace(/\s+/g, ' ');
    if (task.stage === stage) return;
    const at = isoSeconds((options.clock ?? systemClock).now());
    task.stage = stage;
    task.stage_at = at;
    if (reason) task.body = appendDeliveryLine(task.body, `- ${at} ${stage}: ${reason}`);
  });
}

const HEADING = '## Delivery';

/** One line per reasoned change, under a single `## Delivery` heading at the end of the body. */
function appendDeliveryLine(body: string, line: string): string {
  const trimmed = body.replace(/\s+$/, '');
  const lastHeading = trimmed.lastIndexOf('\n## ');
  const ownsEnd =
    trimmed.startsWith(`${HEADING}\n`) || (lastHeading >= 0 && trimmed.startsWith(`${HEADING}\n`, lastHeading + 1));
  if (ownsEnd) return `${trimmed}\n${line}\n`;
  return `${trimmed === '' ? '' : `${trimmed}\n\n`}${HEADING}\n${line}\n`;
}
