import type { Role } from '../config/types.js';
import type { FollowUp } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { curator } from './curator.js';
import { productManager } from './productManager.js';
import { proposer } from './proposer.js';
import { reviewer } from './reviewer.js';
import { taskFollowUp, taskWork } from './taskWork.js';
import type { RoleRun } from './types.js';

export type { FinishedRun, RolePreparation, RoleRun } from './types.js';

/** Roles without a task: nothing to move afterwards; a failed run is recorded (and a usage limit pauses the fleet). */
const noTask: RoleRun = {
  async followUp(ctx, run): Promise<FollowUp> {
    if (run.outcome.kind !== 'success') return settleUndelivered(ctx, run.outcome);
    return { summary: `finished: ${run.outcome.reason}` };
  },
};

const RUNS: Record<Role, RoleRun> = {
  implementer: taskWork,
  tester: taskWork,
  reviewer,
  gatekeeper: taskWork,
  product_manager: productManager,
  proposer,
  curator,
  gatekeeper_coordinator: noTask,
};

/** How a run of this role is prepared and followed up. */
export function roleRun(role: Role): RoleRun {
  return RUNS[role];
}

export { taskFollowUp };
