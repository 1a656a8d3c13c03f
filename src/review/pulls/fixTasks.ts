import type { Task, TaskInput } from '../../tasks/task.js';
import type { PullState } from './pullState.js';

export interface ReviewNote {
  author: string;
  /** CHANGES_REQUESTED, COMMENTED, ... for a review; absent for a plain comment. */
  state?: string;
  body: string;
  at?: string;
}

export interface FailedJobLog {
  check: string;
  runId?: string;
  /** The last lines of `gh run view --log-failed`, or why there is none. */
  tail: string;
}

interface FixBase {
  task: Task;
  pr: PullState;
  maxAttempts: number;
}

/**
 * A fix for a PR under review starts from the PR's branch and is pushed onto
 * it (run/deliverBranch.ts), so the fix joins the change people are looking
 * at and the PR's checks run again on the new head.
 */
function fixTask(base: FixBase, title: string, context: string[], acceptance: string[]): TaskInput {
  return {
    title: `${title} (${base.task.id})`.slice(0, 160),
    role: 'implement',
    created_by: 'tickfleet',
    priority: 'P1',
    max_attempts: base.maxAttempts,
    branch: base.pr.headRefName,
    context: [
      `PR #${base.pr.number} (${base.pr.url}) of ${base.task.id} (${base.task.title}) on branch \`${base.pr.headRefName}\`, head ${base.pr.headRefOid.slice(0, 12)}.`,
      '',
      ...context,
      '',
      `The work starts from \`${base.pr.headRefName}\` and is pushed onto it, so the fix joins the PR.`,
    ].join('\n'),
    acceptance,
  };
}

export function reviewFixTask(base: FixBase, notes: readonly ReviewNote[]): TaskInput {
  const quoted = notes.map(
    (n) => `**${n.author}**${n.state ? ` (${n.state.toLowerCase().replace(/_/g, ' ')})` : ''}:\n\n${quote(n.body)}`,
  );
  return fixTask(
    base,
    `Address review of PR #${base.pr.number}`,
    [
      'A reviewer requested changes. What they said:',
      '',
      ...(quoted.length > 0 ? quoted : ['(no review text: read the PR)']),
    ],
    ['every requested change is made, or answered on the PR where it should not be'],
  );
}

export function ciFixTask(base: FixBase, logs: readonly FailedJobLog[]): TaskInput {
  const parts = logs.map(
    (l) =>
      `Check **${l.check}**${l.runId ? ` (run ${l.runId})` : ''} failed. The end of its log:\n\n\`\`\`\n${l.tail}\n\`\`\``,
  );
  return fixTask(base, `Fix failing CI on PR #${base.pr.number}`, parts, [
    `the failing check${logs.length === 1 ? '' : 's'} (${logs.map((l) => l.check).join(', ')}) pass`,
  ]);
}

function quote(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n') || '> (empty)'
  );
}

/** The last `lines` lines of a log. */
export function tailLines(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
