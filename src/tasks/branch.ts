/**
 * tickfleet's branches: every delivered task's work is on `agent/<task id>`
 * (run/deliverBranch.ts). The PR poll follows only these, so a repository's
 * other PRs are neither counted nor touched. The one place the pattern is written.
 */
const PREFIX = 'agent/';
const TASK_BRANCH = /^agent\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

/** The branch a task's work is delivered on. */
export function taskBranch(taskId: string): string {
  return `${PREFIX}${taskId}`;
}

export function isTickfleetBranch(branch: string): boolean {
  return TASK_BRANCH.test(branch);
}

/** The task a tickfleet branch delivers, or undefined for any other branch. */
export function taskIdOfBranch(branch: string): string | undefined {
  return TASK_BRANCH.exec(branch)?.[1];
}

/** A branch name as a folder name: `agent/T-1` → `agent-T-1`. */
export function branchSlug(branch: string): string {
  return branch.replace(/[^A-Za-z0-9._-]+/g, '-');
}
