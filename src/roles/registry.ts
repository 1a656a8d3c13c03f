import type { AgentConfig, PermissionMode, Role, WorkflowModel } from '../config/types.js';

/**
 * What each role is, as data: which tasks it claims, which workflow model it
 * belongs to, and what the client may do. Prompts live in templates/; the
 * follow-up each role needs is carried out by tickfleet code (src/runner/).
 */
export interface RoleSpec {
  role: Role;
  /** Default task role it claims; undefined = it does not claim tasks. */
  claims?: string;
  /** Runs only in this workflow model (seed 001: PM in `task`, proposers and curator in `proposal`). */
  model?: WorkflowModel;
  /** Does its work end in a branch that follows the implementer's path (push, PR or local review)? */
  producesBranch: boolean;
  permissionMode: PermissionMode;
  allowedTools: string[];
  summary: string;
}

// The model may read and edit code and commit; pushes, PRs and queue moves are ours.
const EDIT_AND_COMMIT = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash(git add:*)', 'Bash(git commit:*)', 'Bash(git status:*)', 'Bash(git diff:*)', 'Bash(git log:*)'];
const READ_ONLY = ['Read', 'Glob', 'Grep', 'Bash(git log:*)', 'Bash(git diff:*)', 'Bash(git show:*)', 'Bash(git status:*)'];
// Agents reach the queue only through the CLI (the single gate), exposed as $TICKFLEET_CLI.
const QUEUE_CLI = ['Bash($TICKFLEET_CLI:*)', 'Bash(tickfleet:*)'];

export const ROLE_SPECS: Record<Role, RoleSpec> = {
  implementer: {
    role: 'implementer',
    claims: 'implement',
    producesBranch: true,
    permissionMode: 'acceptEdits',
    allowedTools: EDIT_AND_COMMIT,
    summary: 'claims implement tasks, changes code, commits; tickfleet pushes and opens the PR',
  },
  tester: {
    role: 'tester',
    claims: 'test',
    producesBranch: true,
    permissionMode: 'acceptEdits',
    allowedTools: [...EDIT_AND_COMMIT, 'Bash(npm test:*)', 'Bash(npm run test:*)', 'Bash(npx vitest:*)', 'Bash(pytest:*)', 'Bash(make test:*)'],
    summary: 'claims test tasks, runs the tests, adds coverage, commits',
  },
  reviewer: {
    role: 'reviewer',
    claims: 'review',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: READ_ONLY,
    summary: 'claims review tasks, reviews code for bugs and security; findings become tasks or messages',
  },
  product_manager: {
    role: 'product_manager',
    model: 'task',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: [...READ_ONLY, ...QUEUE_CLI],
    summary: 'explores the code and creates tasks through the CLI',
  },
  proposer: {
    role: 'proposer',
    model: 'proposal',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: [...READ_ONLY, ...QUEUE_CLI],
    summary: 'proposes work in its focus area through the CLI',
  },
  curator: {
    role: 'curator',
    model: 'proposal',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: [],
    summary: 'scores proposals; promotes, rejects with feedback or defers (never explores the code)',
  },
  gatekeeper: {
    role: 'gatekeeper',
    claims: 'gatekeeper',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: READ_ONLY,
    summary: 'checks one aspect of a PR (lint, tests, style, architecture, security)',
  },
  gatekeeper_coordinator: {
    role: 'gatekeeper_coordinator',
    producesBranch: false,
    permissionMode: 'default',
    allowedTools: [],
    summary: 'detects PRs waiting for checks and queues gatekeeper tasks',
  },
};

/** The task role an agent claims, if any. */
export function claimRoleOf(agent: AgentConfig): string | undefined {
  return agent.task_role ?? ROLE_SPECS[agent.role].claims;
}
