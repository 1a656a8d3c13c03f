import type { AgentConfig, PermissionMode, Role, WorkflowModel } from '../config/agentsConfig.js';
import { DEFAULT_TASK_ROLES, ROLE_MODEL } from '../config/vocabulary.js';
import { checkTaskRole } from '../gatekeeper/checkTask.js';

/**
 * What each role is, as data: which tasks it claims, which workflow model it
 * belongs to, and what the client may do. Prompts live in templates/; the
 * follow-up each role needs is carried out by tickfleet code (the role's run
 * in this folder, which src/runner/ drives).
 */
interface RoleTraits {
  /** Does its work end in a branch that follows the implementer's path (push, PR or local review)? */
  producesBranch: boolean;
  /** Where its client runs: a git worktree of the project, or an empty scratch folder (a role that never reads the code). */
  workspace: 'worktree' | 'scratch';
  permissionMode: PermissionMode;
  allowedTools: string[];
  summary: string;
}

// Permission rules as the client (2.1.197) matches them, checked against it in
// test/roles.permissions.test.ts: `Bash(tickfleet enqueue:*)` allows
// `tickfleet enqueue …` and nothing else (not `tickfleet enqueuex`, not
// `tickfleet proposals` for `tickfleet propose`); a compound command passes
// only when every part matches; `"$VAR" …` never matches. Read-only shell
// commands (ls, cat, grep, find, head, wc) need no rule inside the working
// directory and are blocked outside it. 2.1.197 offers no Glob or Grep tool;
// the names stay for clients that do.
//
// The model may read and edit code and commit; pushes, PRs and queue moves are ours.
const EDIT_AND_COMMIT = [
  'Read',
  'Write',
  'Edit',
  'Glob',
  'Grep',
  'Bash(git add:*)',
  'Bash(git commit:*)',
  'Bash(git status:*)',
  'Bash(git diff:*)',
  'Bash(git log:*)',
];
const READ_ONLY = [
  'Read',
  'Glob',
  'Grep',
  'Bash(git log:*)',
  'Bash(git diff:*)',
  'Bash(git show:*)',
  'Bash(git status:*)',
];
// Agents reach the queue only through the CLI (the single gate): a `tickfleet`
// wrapper first on their PATH. Each role gets only the subcommands it needs,
// so no agent can approve a review or clear messages.
const MESSAGES = ['Bash(tickfleet messages send:*)'];
const CREATE_TASKS = ['Bash(tickfleet enqueue:*)', 'Bash(tickfleet queue-status:*)'];
const CREATE_PROPOSALS = ['Bash(tickfleet propose:*)', 'Bash(tickfleet proposals:*)'];
// A task too large for one run is split into children by the agent holding it (fenced by its lease token).
const SPLIT = ['Bash(tickfleet split:*)'];

const TRAITS: Record<Role, RoleTraits> = {
  implementer: {
    producesBranch: true,
    workspace: 'worktree',
    permissionMode: 'acceptEdits',
    allowedTools: [...EDIT_AND_COMMIT, ...MESSAGES, ...SPLIT],
    summary: 'claims implement tasks, changes code, commits; tickfleet pushes and opens the PR',
  },
  tester: {
    producesBranch: true,
    workspace: 'worktree',
    permissionMode: 'acceptEdits',
    allowedTools: [
      ...EDIT_AND_COMMIT,
      ...MESSAGES,
      ...SPLIT,
      'Bash(npm test:*)',
      'Bash(npm run test:*)',
      'Bash(npx vitest:*)',
      'Bash(pytest:*)',
      'Bash(make test:*)',
    ],
    summary: 'claims test tasks, runs the tests, adds coverage, commits',
  },
  reviewer: {
    producesBranch: false,
    workspace: 'worktree',
    permissionMode: 'default',
    allowedTools: [...READ_ONLY, ...MESSAGES],
    summary: 'claims review tasks, reviews code for bugs and security; findings become tasks or messages',
  },
  product_manager: {
    producesBranch: false,
    workspace: 'worktree',
    permissionMode: 'default',
    allowedTools: [...READ_ONLY, ...CREATE_TASKS, ...MESSAGES],
    summary: 'explores the code and creates tasks through the CLI',
  },
  proposer: {
    producesBranch: false,
    workspace: 'worktree',
    permissionMode: 'default',
    allowedTools: [...READ_ONLY, ...CREATE_PROPOSALS, ...MESSAGES],
    summary: 'proposes work in its focus area through the CLI',
  },
  curator: {
    producesBranch: false,
    workspace: 'scratch',
    permissionMode: 'default',
    // Its answer is the structured decision; it runs in an empty scratch folder, so there is no code to read.
    allowedTools: [],
    summary: 'scores proposals; promotes, rejects with feedback or defers (never explores the code)',
  },
  gatekeeper: {
    producesBranch: false,
    workspace: 'worktree',
    permissionMode: 'default',
    allowedTools: READ_ONLY,
    summary:
      'checks one aspect of a delivered branch (lint, tests, style, architecture, security): claims the check tasks of its focus, answers with a verdict',
  },
  gatekeeper_coordinator: {
    producesBranch: false,
    workspace: 'scratch',
    permissionMode: 'default',
    allowedTools: [],
    summary: 'runs no model: the tick finds branches waiting for checks, fans them out and combines the verdicts',
  },
};

export interface RoleSpec extends RoleTraits {
  role: Role;
  /** Default task role it claims; undefined = it does not claim tasks. */
  claims?: string;
  /** Runs only in this workflow model (PM in `task`, proposers and curator in `proposal`). */
  model?: WorkflowModel;
}

export const ROLE_SPECS = Object.fromEntries(
  (Object.keys(TRAITS) as Role[]).map((role) => {
    const claims = role === 'gatekeeper' ? 'gatekeeper' : DEFAULT_TASK_ROLES[role];
    const model = ROLE_MODEL[role];
    return [role, { ...TRAITS[role], role, ...(claims ? { claims } : {}), ...(model ? { model } : {}) }];
  }),
) as Record<Role, RoleSpec>;

/** The task role an agent claims, if any. A gatekeeper claims only the check tasks of its focus. */
export function claimRoleOf(agent: AgentConfig): string | undefined {
  if (agent.task_role === undefined && agent.role === 'gatekeeper' && agent.focus) return checkTaskRole(agent.focus);
  return agent.task_role ?? ROLE_SPECS[agent.role].claims;
}

/**
 * Check tasks are how delivered branches get closer to merged: they never
 * wait on max_open_prs (which those branches fill), or the fleet would stall.
 */
export function countsOpenPrs(agent: AgentConfig): boolean {
  return agent.role !== 'gatekeeper';
}
