import type { Role } from '../config/agentsConfig.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { curator } from './curator.js';
import { gatekeeper } from './gatekeeper.js';
import { productManager } from './productManager.js';
import { proposer } from './proposer.js';
import { reviewer } from './reviewer.js';
import type { ClientRun, RoleRun } from './roleRun.js';
import { taskWork } from './taskWork.js';

/** Roles without a task: nothing to move afterwards; a failed run is recorded (and a usage limit pauses the fleet). */
const noTask: RoleRun = {
  async prepare() {
    return {};
  },
  async followUp(ctx, run): Promise<FollowUp> {
    if (run.outcome.kind !== 'success') return settleUndelivered(ctx, run.outcome);
    return { summary: `finished: ${run.outcome.reason}` };
  },
};

/** A role's run once prepared: what the client is given, and the follow-up bound to what preparation found. */
export interface PreparedRole {
  sections: string[];
  jsonSchema?: object;
  followUp(ctx: RunContext, run: ClientRun): Promise<FollowUp>;
}

type Prepare = (ctx: RunContext) => Promise<PreparedRole>;

// Each role's preparation facts have their own type; binding keeps them
// between its two steps, so the runner never sees (or casts) them.
function bind<C>(run: RoleRun<C>): Prepare {
  return async (ctx) => {
    const prepared = await run.prepare(ctx);
    return {
      sections: prepared.sections ?? [],
      ...(prepared.jsonSchema ? { jsonSchema: prepared.jsonSchema } : {}),
      followUp: (c, finished) => run.followUp(c, { ...finished, prepared }),
    };
  };
}

const RUNS: Record<Role, Prepare> = {
  implementer: bind(taskWork),
  tester: bind(taskWork),
  reviewer: bind(reviewer),
  gatekeeper: bind(gatekeeper),
  product_manager: bind(productManager),
  proposer: bind(proposer),
  curator: bind(curator),
  gatekeeper_coordinator: bind(noTask),
};

/** Prepare a run of this role (before the client starts); the result carries its follow-up. */
export function prepareRole(role: Role, ctx: RunContext): Promise<PreparedRole> {
  return RUNS[role](ctx);
}
