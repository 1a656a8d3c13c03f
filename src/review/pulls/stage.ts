import { type Clock, isoSeconds } from '../../core/clock.js';
import type { Layout } from '../../core/paths.js';
import type { DeliveryStage } from '../../tasks/stage.js';
import type { Task } from '../../tasks/task.js';
import { updateTask } from '../../tasks/update.js';

/** Move a delivered task to `stage`, the one place the PR lifecycle sets a stage. */
export function setStage(layout: Layout, id: string, stage: DeliveryStage, clock: Clock): Promise<Task> {
  return updateTask(layout, id, (t) => {
    t.stage = stage;
    t.stage_at = isoSeconds(clock.now());
  });
}
