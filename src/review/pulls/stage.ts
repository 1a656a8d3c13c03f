import type { Clock } from '../../core/clock.js';
import type { Layout } from '../../core/paths.js';
import { setTaskStage } from '../../tasks/setStage.js';
import type { DeliveryStage } from '../../tasks/stage.js';
import type { Task } from '../../tasks/task.js';

/** Move a delivered task to `stage`: the PR lifecycle's one door to the task lifecycle. */
export function setStage(layout: Layout, id: string, stage: DeliveryStage, clock: Clock): Promise<Task> {
  return setTaskStage(layout, id, stage, { clock });
}
