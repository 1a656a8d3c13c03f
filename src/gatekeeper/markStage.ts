import type { Clock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { setTaskStage } from '../tasks/setStage.js';
import type { DeliveryStage } from '../tasks/stage.js';

/**
 * Move a delivered task's stage from the gatekeepers' side. A task that is
 * gone (archived by hand) or no longer in done/ is left alone: the checks go
 * on for the branch either way.
 */
export async function markStage(layout: Layout, taskId: string, stage: DeliveryStage, clock: Clock): Promise<void> {
  try {
    await setTaskStage(layout, taskId, stage, { clock });
  } catch (err) {
    if (!(err instanceof ExitError)) throw err;
  }
}
