import type { AgentConfig, Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { enqueueTask } from '../tasks/enqueue.js';
import type { Task } from '../tasks/task.js';
import { writeCheckTask } from './checkTasks.js';
import { GATEKEEPER } from './fixTask.js';
import type { WaitingBranch } from './waiting.js';

/** The task role of a check run by a gatekeeper agent with this focus: `gatekeeper-lint`. */
export function checkTaskRole(focus: string): string {
  return `gatekeeper-${focus}`;
}

/** The gatekeeper agent that runs checks of this focus, if agents.yaml has one. */
export function checkerFor(config: Config, check: string): AgentConfig | undefined {
  return config.agents.find((a) => a.role === 'gatekeeper' && a.focus === check);
}

/**
 * Queue a check for a gatekeeper agent: a task of role `gatekeeper-<focus>`
 * (claimed only by the gatekeeper with that focus), starting at the branch.
 * The runner then gives it the budget, ledger, transcript and lease every run
 * has; what it checks is kept in the verdict store (checkTasks.ts).
 */
export async function queueCheckTask(
  layout: Layout,
  config: Config,
  branch: WaitingBranch,
  check: { check: string; required: boolean },
  claimRole: string,
): Promise<Task> {
  const task = await enqueueTask(layout, {
    title: `Check ${check.check} on ${branch.subject} at ${branch.head.slice(0, 12)}`,
    role: claimRole,
    created_by: GATEKEEPER,
    priority: 'P1',
    branch: branch.branch,
    max_attempts: config.tasks.max_attempts,
    context: `Check \`${check.check}\` on branch \`${branch.branch}\` (commit ${branch.head}), against \`${branch.base}\`. Read only; answer with the verdict.`,
    acceptance: ['a verdict: pass or fail, with findings for a fail'],
  });
  await writeCheckTask(layout, task.id, {
    subject: branch.subject,
    branch: branch.branch,
    base: branch.base,
    head: branch.head,
    check: check.check,
    required: check.required,
  });
  return task;
}
