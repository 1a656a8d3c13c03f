import type { Outcome, RunMetrics } from '../claude/index.js';
import type { FollowUp, RunContext } from '../run/context.js';

/** What a role adds to a run before the client starts. */
export interface RolePreparation {
  /** Extra sections of the instructions (proposals to curate, earlier rejections, a branch to review). */
  sections?: string[];
  /** A JSON Schema the answer must follow (`--json-schema`); a run without a valid answer fails. */
  jsonSchema?: object;
  /** Facts the follow-up needs from preparation (the proposals shown, the branch reviewed). */
  context?: Record<string, unknown>;
}

/** A finished run as the follow-up sees it. */
export interface FinishedRun {
  outcome: Outcome;
  metrics: RunMetrics;
  /** The model's final text: the handoff. */
  summary: string;
  /** What preparation returned. */
  prepared: RolePreparation;
}

/**
 * One role's part in a run. Everything with a side effect (moving tasks,
 * pushing, promoting proposals, sending messages) happens in `followUp`, in
 * tickfleet's code, from structured results: never by asking the model to do it.
 */
export interface RoleRun {
  prepare?(ctx: RunContext): Promise<RolePreparation>;
  followUp(ctx: RunContext, run: FinishedRun): Promise<FollowUp>;
}
