import { resolveBaseBranch } from '../git/base.js';
import { removeWorktree } from '../git/remove.js';
import { gitRun } from '../git/run.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { completeTask } from '../tasks/complete.js';
import { parseReviewDecision, REVIEW_SCHEMA, type ReviewDecision } from './reviewDecision.js';
import { type Filed, fileFindings } from './reviewFindings.js';
import type { FinishedRun, RoleRun } from './roleRun.js';
import { runFacts } from './taskWork.js';

/** Commits and changed files shown in the prompt; a bigger change is summarised by count. */
const MAX_LINES = 40;

/**
 * The reviewer claims a `review` task; its worktree starts at the task's
 * `branch` (the change under review). It reads, and answers with a schema-
 * checked decision; tickfleet files the findings (fix tasks, or a warning
 * for people) and completes the task with the verdict. A run without a valid
 * decision is a failed attempt: the task goes back, nothing is filed.
 */
/** The change under review: its branch and the base it is compared with. */
export interface ReviewScope {
  branch: string;
  base: string;
}

export const reviewer: RoleRun<ReviewScope> = {
  async prepare(ctx) {
    const base = await resolveBaseBranch(ctx.layout.root, ctx.config.review.base_branch);
    const branch = ctx.workspace?.base ?? base;
    return {
      sections: [await scopeSection(ctx, branch, base), ANSWER],
      jsonSchema: REVIEW_SCHEMA,
      context: { branch, base },
    };
  },

  async followUp(ctx, run): Promise<FollowUp> {
    try {
      return await conclude(ctx, run);
    } finally {
      // A review changes nothing, so its checkout holds nothing to keep; a retry then starts at the branch's new tip.
      const wt = ctx.workspace?.worktree?.path;
      if (wt)
        await removeWorktree(ctx.layout.root, wt).catch((err: unknown) =>
          ctx.log(`review worktree kept: ${(err as Error).message}`),
        );
    }
  },
};

/** What the run's decision (or lack of one) means for the review task. */
async function conclude(ctx: RunContext, run: FinishedRun<ReviewScope>): Promise<FollowUp> {
  if (run.outcome.kind !== 'success') return settleUndelivered(ctx, run.outcome);
  const { task, token } = ctx;
  if (!task || !token) return { summary: `finished without a review task: ${run.outcome.reason}` };
  const parsed = parseReviewDecision(run.outcome.structuredOutput);
  if (!parsed.ok) {
    const settled = await settleUndelivered(ctx, {
      kind: 'error',
      reason: `invalid review decision: ${parsed.problems.summary()}`,
    });
    return { ...settled, outcome: 'invalid_decision' };
  }
  const decision = parsed.value;
  const { branch, base } = run.prepared.context;
  // Filed before completing: if completing fails, the findings are still on record.
  const filed = await fileFindings(ctx, decision, { task, branch, base }, token);
  const result = {
    verdict: decision.verdict,
    branch,
    findings: decision.findings.length,
    tasks: filed.tasks.map((t) => t.id),
    ...(filed.message ? { message: filed.message } : {}),
  };
  const done = await completeTask(ctx.layout, task.id, token, {
    result: { ...result, ...runFacts(ctx, run.metrics) },
    handoff: handoff(decision, filed),
  });
  return {
    summary: `${task.id} done: ${decision.verdict}, ${decision.findings.length} finding(s), ${filed.tasks.length} fix task(s)`,
    result,
    taskState: done.state,
  };
}

async function scopeSection(ctx: RunContext, branch: string, base: string): Promise<string> {
  const lines = ['## What to review', ''];
  const cwd = ctx.workspace?.cwd;
  if (branch === base || !cwd) {
    lines.push(`This worktree is at \`${branch}\`, the project's base branch: review the code the task above names.`);
    return lines.join('\n');
  }
  lines.push(
    `This worktree is at \`${branch}\`, the change under review. Compare it with the base branch \`${base}\`: \`git diff ${base}...HEAD\`, \`git log ${base}..HEAD\`.`,
  );
  const log = await listGit(cwd, ['log', '--format=%h %s', `${base}..HEAD`]);
  const stat = await listGit(cwd, ['diff', '--stat=120', `${base}...HEAD`]);
  if (log) lines.push('', `Commits on the branch:`, '', '```', log, '```');
  if (stat) lines.push('', 'Files changed:', '', '```', stat, '```');
  return lines.join('\n');
}

/** A few lines of git output for the prompt, or '' when git cannot say (the base is not local, say). */
async function listGit(cwd: string, args: string[]): Promise<string> {
  const r = await gitRun(cwd, args, { allowFail: true });
  if (r.code !== 0) return '';
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines.length > MAX_LINES
    ? [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more`].join('\n')
    : lines.join('\n');
}

const ANSWER = [
  '## Your answer',
  '',
  'End by calling the `StructuredOutput` tool once, with:',
  '',
  '- `verdict`: `approve` (fit to merge as it is) or `request_changes` (something must be fixed first; at least one finding).',
  '- `summary`: what you reviewed and what you found, in two or three sentences.',
  '- `findings`: one entry per problem: `severity` (critical, high, medium, low), `file` (relative path), `line` when you know it, `title` (one line), `detail` (what is wrong, why it matters, the fix you suggest), and `create_task`: `true` when it needs a code change (tickfleet files a fix task for it), `false` for a note people should read (sent to them as a warning).',
  '',
  'An answer that does not fit this form fails the run, and the review is done again.',
].join('\n');

function handoff(decision: ReviewDecision, filed: Filed): string {
  const lines = [`**${decision.verdict}**: ${decision.summary}`];
  for (const f of decision.findings)
    lines.push(`- ${f.severity} \`${f.line ? `${f.file}:${f.line}` : f.file}\` ${f.title}`);
  if (filed.tasks.length) lines.push('', `Fix tasks: ${filed.tasks.map((t) => t.id).join(', ')}`);
  return lines.join('\n');
}
