import type { Clock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { findTask } from '../tasks/list.js';
import { setTaskStage } from '../tasks/setStage.js';
import type { DeliveryStage } from '../tasks/stage.js';

/**
 * Move a reviewed task's lifecycle along (tasks/lifecycle.ts). Only a task in
 * done/ has a stage; one a person deleted or moved is left as it is: the
 * review itself goes on. Called outside the reviews lock, as the queue lock
 * is taken first elsewhere (a submit runs under the task's fence).
 */
export async function stageTask(
  layout: Layout,
  taskId: string,
  stage: DeliveryStage,
  options: { clock?: Clock; reason?: string } = {},
): Promise<void> {
  try {
    await setTaskStage(layout, taskId, stage, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    });
  } catch (err) {
    if (!(err instanceof ExitError)) throw err;
  }
}

/**
 * A rework task continues the branch of the task it reworks (its
 * wip_branch is `agent/<that id>`): when the rework lands, so has the
 * original's change, and the original's dependents may start. Followed
 * back through reworks of reworks.
 */
export async function stageReworked(layout: Layout, taskId: string, clock?: Clock): Promise<void> {
  const seen = new Set([taskId]);
  for (let id = taskId; ; ) {
    const task = await findTask(layout, id).catch((err: unknown) => {
      if (err instanceof ExitError) return undefined;
      throw err;
    });
    const origin = task?.wip_branch?.startsWith('agent/') ? task.wip_branch.slice('agent/'.length) : undefined;
    if (!origin || seen.has(origin)) return;
    seen.add(origin);
    await stageTask(layout, origin, 'merged', { ...(clock ? { clock } : {}), reason: `its change landed with ${id}` });
    id = origin;
  }
}
