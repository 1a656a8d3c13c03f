import type { Role, WorkflowModel } from './agentsConfig.js';

/** The aspects a gatekeeper checks ; a gatekeeper agent's focus is one of them. */
export const CHECK_NAMES = ['lint', 'tests', 'style', 'architecture', 'security'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/**
 * Proposer specialties with a built-in prompt. Any other word works too when
 * `.orchestrator/prompts/` has a prompt for it, so an unknown one is only a warning.
 */
export const PROPOSER_FOCUSES = ['test_quality', 'architecture', 'features', 'plan_reading'] as const;

/** Roles whose work is defined by their focus: without one they would not know what to do. */
export const FOCUS_ROLES: readonly Role[] = ['proposer', 'gatekeeper'];

/** The task role an agent claims when agents.yaml names none. */
export const DEFAULT_TASK_ROLES: Partial<Record<Role, string>> = {
  implementer: 'implement',
  tester: 'test',
  reviewer: 'review',
};

/** Roles that belong to one workflow model only; the rest run in both. */
export const ROLE_MODEL: Partial<Record<Role, WorkflowModel>> = {
  product_manager: 'task',
  proposer: 'proposal',
  curator: 'proposal',
};

/** Agent names become folder, branch and log-file names. */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const AGENT_NAME_EXPECT = 'a name of lowercase letters, digits, "-" or "_", starting with a letter or digit';

/** Environment variable names the client will accept. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
