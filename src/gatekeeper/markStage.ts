import { type Clock, isoSeconds } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { DeliveryStage } from '../tasks/stage.js';
import { updateTask } from '../tasks/update.js';

/**
 * Set where a delivered task's branch is. The one place the gatekeepers move
 * a task's stage, so the task lifecycle's own transition replaces it here
 * alone. A task file that is gone (archived by hand) is left alone.
 */
export async function markStage(layout: Layout, taskId: string, stage: DeliveryStage, clock: Clock): Promise<void> {
  try {
    await updateTask(layout, taskId, (t) => {
      t.stage = stage;
      t.stage_at = isoSeconds(clock.now());
    });
  } catch (err) {
    if (!(err instanceof ExitError)) throw err;
  }
}
