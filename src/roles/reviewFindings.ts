import { ExitError } from '../core/errors.js';
import { sendMessage } from '../messages/send.js';
import type { RunContext } from '../run/context.js';
import { enqueueTaskLocked } from '../tasks/enqueue.js';
import type { Priority } from '../tasks/priority.js';
import type { Task } from '../tasks/task.js';
import { checkFence, withFence } from '../tasks/withFence.js';
import type { ReviewDecision, ReviewFinding, Severity } from './reviewDecision.js';

const PRIORITY_OF: Record<Severity, Priority> = { critical: 'P0', high: 'P1', medium: 'P2', low: 'P3' };

export interface Reviewed {
  /** The review task. */
  task: Task;
  /** The branch its worktree started from. */
  branch: string;
  /** The project's base branch: a fix for any other branch is based on that branch. */
  base: string;
}

export interface Filed {
  tasks: Task[];
  /** Findings that could not become a task (the queue was full), with the reason; they go into the message. */
  notFiled: { finding: ReviewFinding; reason: string }[];
  notes: ReviewFinding[];
  message?: string;
}

/**
 * Findings that need a code change become implement tasks, through the same
 * validation and max_incoming as `tickfleet enqueue`; a fix for a branch
 * still under review is based on that branch, so its change lands there. The
 * rest (and any the full queue refused) go to people in one warning, so no
 * finding is lost. Each task is created under the review task's fence, and
 * the message is sent only after a fresh look at the lease: a run whose
 * review was cancelled or reclaimed files nothing (LeaseLostError).
 */
export async function fileFindings(
  ctx: RunContext,
  decision: ReviewDecision,
  reviewed: Reviewed,
  token: string,
): Promise<Filed> {
  const filed: Filed = { tasks: [], notFiled: [], notes: decision.findings.filter((f) => !f.create_task) };
  for (const finding of decision.findings.filter((f) => f.create_task)) {
    try {
      const create = () =>
        enqueueTaskLocked(ctx.layout, fixTask(ctx, finding, reviewed), {
          limits: { maxIncoming: ctx.config.queue_limits.max_incoming },
          clock: ctx.clock,
        });
      filed.tasks.push(await withFence(ctx.layout, reviewed.task.id, token, create));
    } catch (err) {
      // A full queue leaves the finding for people; a lost lease (not an ExitError) ends the follow-up.
      if (!(err instanceof ExitError)) throw err;
      filed.notFiled.push({ finding, reason: err.message });
    }
  }
  if (filed.notes.length > 0 || filed.notFiled.length > 0) {
    await checkFence(ctx.layout, reviewed.task.id, token);
    const sent = await sendMessage(ctx.layout, noteMessage(ctx, decision, reviewed, filed), { clock: ctx.clock });
    filed.message = sent.file;
  }
  return filed;
}

function where(f: ReviewFinding): string {
  return f.line ? `${f.file}:${f.line}` : f.file;
}

function fixTask(ctx: RunContext, finding: ReviewFinding, reviewed: Reviewed) {
  const onBranch = reviewed.branch !== reviewed.base;
  return {
    title: `Fix (${finding.severity}): ${finding.title}`.slice(0, 160),
    role: 'implement',
    created_by: ctx.agent.name,
    priority: PRIORITY_OF[finding.severity],
    max_attempts: ctx.config.tasks.max_attempts,
    ...(onBranch ? { branch: reviewed.branch } : {}),
    context: [
      `Found by ${ctx.agent.name} reviewing ${reviewed.task.id} (${reviewed.task.title}) on branch \`${reviewed.branch}\`.`,
      '',
      `\`${where(finding)}\` — ${finding.detail.trim()}`,
      ...(onBranch
        ? [
            '',
            `The work starts from \`${reviewed.branch}\` and is delivered into it, so the fix joins the change under review.`,
          ]
        : []),
    ].join('\n'),
    acceptance: [`fixed: ${finding.title}`, 'a test shows the problem is gone where the project has tests'],
  };
}

function noteMessage(ctx: RunContext, decision: ReviewDecision, reviewed: Reviewed, filed: Filed) {
  const item = (f: ReviewFinding) => `- **${f.severity}** \`${where(f)}\` ${f.title}: ${f.detail.trim()}`;
  const parts = [
    `${ctx.agent.name} reviewed \`${reviewed.branch}\` for ${reviewed.task.id}: **${decision.verdict}**. ${decision.summary}`,
  ];
  if (filed.notes.length) parts.push('Notes (no task filed):', filed.notes.map(item).join('\n'));
  if (filed.notFiled.length) {
    parts.push(
      'Findings that need a fix but could not become a task; file them once the queue has room:',
      filed.notFiled.map((n) => `${item(n.finding)} (${n.reason})`).join('\n'),
    );
  }
  if (filed.tasks.length) parts.push(`Fix tasks filed: ${filed.tasks.map((t) => t.id).join(', ')}.`);
  const count = filed.notes.length + filed.notFiled.length;
  return {
    type: 'warning' as const,
    title: `Review of ${reviewed.branch}: ${count} finding${count === 1 ? '' : 's'} for people`,
    body: parts.join('\n\n'),
    from: ctx.agent.name,
    task: reviewed.task.id,
  };
}
