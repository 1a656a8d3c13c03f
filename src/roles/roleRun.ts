import type { RunMetrics } from '../claude/metrics.js';
import type { Outcome } from '../claude/outcome.js';
import type { FollowUp, RunContext } from '../run/context.js';

/**
 * What a role adds to a run before the client starts. `C` is what its
 * follow-up needs from preparation (the proposals shown, the branch
 * reviewed): required when the role has such facts, absent when it has none.
 */
export type RolePreparation<C = undefined> = {
  /** Extra sections of the instructions (proposals to curate, earlier rejections, a branch to review). */
  sections?: string[];
  /** A JSON Schema the answer must follow (`--json-schema`); a run without a valid answer fails. */
  jsonSchema?: object;
} & (undefined extends C ? { context?: undefined } : { context: C });

/** What the client left: the outcome, its metrics and the model's final text (the handoff). */
export interface ClientRun {
  outcome: Outcome;
  metrics: RunMetrics;
  summary: string;
}

/** A finished run as the follow-up sees it. */
export interface FinishedRun<C = undefined> extends ClientRun {
  /** What preparation returned. */
  prepared: RolePreparation<C>;
}

/**
 * One role's part in a run. Everything with a side effect (moving tasks,
 * pushing, promoting proposals, sending messages) happens in `followUp`, in
 * tickfleet's code, from structured results: never by asking the model to do it.
 */
export interface RoleRun<C = undefined> {
  prepare(ctx: RunContext): Promise<RolePreparation<C>>;
  followUp(ctx: RunContext, run: FinishedRun<C>): Promise<FollowUp>;
}
