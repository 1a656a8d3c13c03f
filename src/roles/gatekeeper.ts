import { isoSeconds } from '../core/clock.js';
import { type CheckTaskSpec, readCheckTask } from '../gatekeeper/checkTasks.js';
import { writeVerdict } from '../gatekeeper/store.js';
import type { CheckVerdict } from '../gatekeeper/verdict.js';
import { removeWorktree } from '../git/remove.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { completeTask } from '../tasks/complete.js';
import { failTask } from '../tasks/fail.js';
import { CHECK_SCHEMA, parseCheckAnswer } from './checkVerdict.js';
import type { FinishedRun, RoleRun } from './roleRun.js';
import { runFacts } from './taskWork.js';

/**
 * A gatekeeper agent runs one check task: its worktree starts at the branch
 * under check; it reads (read-only tools) and answers with a verdict that the
 * schema holds it to. tickfleet records the verdict for the head the task
 * names, and the tick acts on it. A run that ends without an answer goes back
 * as any failed attempt does; an answer that does not hold up is recorded as
 * an `error` verdict, never a pass.
 */
/** The check the task names (absent: a task the gatekeepers did not queue). */
interface CheckScope {
  spec?: CheckTaskSpec;
}

export const gatekeeper: RoleRun<CheckScope> = {
  async prepare(ctx) {
    const spec = ctx.task ? await readCheckTask(ctx.layout, ctx.task.id) : undefined;
    return { sections: [scopeSection(spec), ANSWER], jsonSchema: CHECK_SCHEMA, context: spec ? { spec } : {} };
  },

  async followUp(ctx, run): Promise<FollowUp> {
    try {
      return await conclude(ctx, run);
    } finally {
      // A check changes nothing; its checkout holds nothing to keep.
      const wt = ctx.workspace?.worktree?.path;
      if (wt)
        await removeWorktree(ctx.layout.root, wt, { force: true }).catch((err: unknown) =>
          ctx.log(`check worktree kept: ${(err as Error).message}`),
        );
    }
  },
};

async function conclude(ctx: RunContext, run: FinishedRun<CheckScope>): Promise<FollowUp> {
  if (run.outcome.kind !== 'success') return settleUndelivered(ctx, run.outcome);
  const { task, token } = ctx;
  if (!task || !token) return { summary: `finished without a check task: ${run.outcome.reason}` };
  const spec = run.prepared.context.spec;
  if (!spec) {
    const failed = await failTask(ctx.layout, task.id, token, {
      error: `no check is recorded for ${task.id}: it was not queued by the gatekeepers`,
      retry: false,
      backoffSeconds: 0,
      clock: ctx.clock,
    });
    return { summary: `${task.id} failed: not a check task`, taskState: failed.state, outcome: 'invalid_decision' };
  }
  const parsed = parseCheckAnswer(run.outcome.structuredOutput);
  const base = {
    check: spec.check,
    branch: spec.branch,
    head: spec.head,
    required: spec.required,
    by: { agent: ctx.agent.name },
    at: isoSeconds(ctx.clock.now()),
  };
  const verdict: CheckVerdict = parsed.ok
    ? { ...base, verdict: parsed.value.verdict, summary: parsed.value.summary, findings: parsed.value.findings }
    : {
        ...base,
        verdict: 'error',
        summary: `the verdict did not hold up: ${parsed.problems.summary()}`,
        findings: [],
        output_tail: JSON.stringify(run.outcome.structuredOutput ?? null).slice(0, 2000),
      };
  // Keyed by the head the task names: a verdict for a head the branch has left is kept there and never applied to the new one.
  const recorded = await writeVerdict(ctx.layout, spec.subject, verdict);
  const result = {
    check: spec.check,
    subject: spec.subject,
    head: spec.head,
    verdict: verdict.verdict,
    findings: verdict.findings.length,
    ...(recorded ? {} : { discarded: 'a verdict for this head was already recorded' }),
  };
  const done = await completeTask(ctx.layout, task.id, token, {
    result: { ...result, ...runFacts(ctx, run.metrics) },
    handoff: `**${verdict.verdict}** ${verdict.summary}`,
  });
  return {
    summary: `${task.id} done: ${spec.check} ${verdict.verdict} at ${spec.head.slice(0, 12)}`,
    result,
    taskState: done.state,
    ...(parsed.ok ? {} : { outcome: 'invalid_decision' }),
  };
}

function scopeSection(spec: CheckTaskSpec | undefined): string {
  if (!spec)
    return '## What to check\n\nThis task names no check the gatekeepers queued: answer `fail` with one finding saying so.';
  return [
    '## What to check',
    '',
    `Your check: **${spec.check}**. This worktree is at \`${spec.branch}\`, commit ${spec.head}. Compare it with the base branch \`${spec.base}\`: \`git diff ${spec.base}...HEAD\`, \`git log ${spec.base}..HEAD\`. Judge the change, not the code it did not touch.`,
  ].join('\n');
}

const ANSWER = [
  '## Your answer',
  '',
  'Read only: change nothing. End by calling the `StructuredOutput` tool once, with:',
  '',
  '- `verdict`: `pass` (nothing in your focus blocks this change) or `fail` (something must change first; at least one finding).',
  '- `summary`: what you checked and what you found, in one or two sentences.',
  '- `findings`: one entry per problem: `file` (relative path), `line` when you know it, `severity` (error, warning, info) and `message` (what is wrong and the fix).',
  '',
  'An answer that does not fit this form counts as a check that could not run, never as a pass.',
].join('\n');
