import type { Config } from '../config/agentsConfig.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { enqueueTask } from '../tasks/enqueue.js';
import { findTask } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { updateTask } from '../tasks/update.js';
import { recordFix } from './lineage.js';
import type { CheckVerdict } from './verdict.js';
import type { WaitingBranch } from './waiting.js';

/** The creator written on the tasks the gatekeepers make. */
export const GATEKEEPER = 'gatekeeper';
const TAIL_LINES = 30;

/**
 * One fix task for a head whose required checks failed: role implement,
 * continuing from the branch (wip_branch; for a PR, its branch as the base), carrying every finding as
 * file:line and message and the failing output's tail. Recorded on both
 * sides (lineage.ts), so the next delivery is counted as this round.
 */
export async function makeFixTask(
  layout: Layout,
  config: Config,
  branch: WaitingBranch,
  failed: CheckVerdict[],
  clock: Clock,
): Promise<Task> {
  const round = (branch.fixOf?.round ?? 0) + 1;
  const title = await originalTitle(layout, branch.task);
  const created = await enqueueTask(layout, {
    title: `Fix ${failed.map((v) => v.check).join(', ')} on ${branch.task}${title ? `: ${title}` : ''}`.slice(0, 200),
    role: 'implement',
    created_by: GATEKEEPER,
    priority: 'P1',
    max_attempts: config.tasks.max_attempts,
    body: fixBody(branch, failed, round, config.gatekeeper.max_fix_rounds),
    // A PR's fix is based on the PR's branch and pushed onto it (run/deliverBranch.ts), so the PR gets the new head.
    ...(branch.pr !== undefined ? { branch: branch.branch } : {}),
  });
  const task =
    branch.pr !== undefined
      ? created
      : await updateTask(layout, created.id, (t) => {
          t.wip_branch = branch.branch;
        });
  const origin = [...(branch.fixOf?.origin_tasks ?? []), branch.task];
  await recordFix(
    layout,
    branch.subject,
    { task: task.id, head: branch.head, round, at: isoSeconds(clock.now()) },
    { of: branch.subject, round, origin_tasks: origin },
  );
  return task;
}

export function fixBody(branch: WaitingBranch, failed: CheckVerdict[], round: number, maxRounds: number): string {
  const lines = [
    '## Context',
    '',
    `${branch.subject} (branch \`${branch.branch}\` at ${branch.head.slice(0, 12)}) failed its required checks: ${failed.map((v) => v.check).join(', ')}. Fix round ${round} of ${maxRounds}.`,
    '',
    'Continue from that branch (it is already checked out for you) and make these checks pass.',
  ];
  for (const v of failed) {
    lines.push('', `### ${v.check}: ${v.summary}`);
    if ('command' in v.by) lines.push('', `Command: \`${v.by.command}\``);
    for (const f of v.findings)
      lines.push(`- \`${f.line ? `${f.file}:${f.line}` : f.file}\` ${f.severity}: ${f.message}`);
    if (v.output_tail)
      lines.push('', 'Output (tail):', '', '```', v.output_tail.split('\n').slice(-TAIL_LINES).join('\n'), '```');
  }
  lines.push('', '## Acceptance Criteria', '', ...failed.map((v) => `- [ ] the ${v.check} check passes`));
  return `${lines.join('\n')}\n`;
}

async function originalTitle(layout: Layout, taskId: string): Promise<string | undefined> {
  try {
    return (await findTask(layout, taskId)).title;
  } catch {
    // The original task file is gone: the fix task is titled without it.
    return undefined;
  }
}
