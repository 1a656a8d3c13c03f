import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { sendMessage } from '../messages/send.js';
import { enableAutoMerge, type GithubMergeMethod } from '../review/pulls/autoMerge.js';
import type { GhCall } from '../review/pulls/poll.js';
import { publishVerdicts } from '../review/pulls/publish.js';
import { GATEKEEPER } from './fixTask.js';
import { markStage } from './markStage.js';
import { headDir } from './store.js';
import type { CheckVerdict } from './verdict.js';
import type { WaitingBranch } from './waiting.js';

/**
 * The github back end's side of a pass over an open PR: its verdicts go on
 * the PR (commit statuses and one comment), and an approval is a PR review.
 * Each is remembered beside the head's verdicts, so a tick where nothing
 * changed makes no gh call for the PR:
 *
 *   checks/<subject>/<head>/published.json   the verdicts last published
 *   checks/<subject>/<head>/approved.json    when the head was approved
 */
type OpenPull = WaitingBranch & { pr: number };

function verdictsOf(branch: WaitingBranch): CheckVerdict[] {
  return branch.checks.flatMap((c) => (c.verdict ? [c.verdict] : []));
}

/** Publish the head's verdicts when they differ from those published last; true when gh was called. */
export async function publishPullVerdicts(layout: Layout, gh: GhCall, branch: OpenPull): Promise<boolean> {
  const verdicts = verdictsOf(branch);
  if (verdicts.length === 0) return false;
  const file = path.join(headDir(layout, branch.subject, branch.head), 'published.json');
  const key = verdicts.map((v) => `${v.check}:${v.verdict}`).join(' ');
  if ((await readJsonIfExists<{ verdicts: string }>(file))?.verdicts === key) return false;
  await publishVerdicts(gh, branch.pr, branch.head, verdicts);
  await writeJsonAtomic(file, { verdicts: key });
  return true;
}

function approvedFile(layout: Layout, subject: string, head: string): string {
  return path.join(headDir(layout, subject, head), 'approved.json');
}

/** Whether tickfleet approved the PR at this head. */
export async function isPullApproved(layout: Layout, subject: string, head: string): Promise<boolean> {
  return (await readJsonIfExists(approvedFile(layout, subject, head))) !== undefined;
}

/**
 * Every required check passed and `auto_approve` is on: approve the PR (once
 * per head), move its task to approved, and turn on GitHub's auto-merge, so
 * the repository's own protections decide when it lands. A PR whose
 * auto-merge is refused says why in one message.
 */
export async function approvePull(
  layout: Layout,
  gh: GhCall,
  branch: OpenPull,
  options: { clock: Clock; log: (line: string) => void; mergeMethod?: GithubMergeMethod },
): Promise<void> {
  const file = approvedFile(layout, branch.subject, branch.head);
  if (await readJsonIfExists(file)) return;
  const passed = verdictsOf(branch)
    .filter((v) => v.required)
    .map((v) => v.check);
  await gh([
    'pr',
    'review',
    String(branch.pr),
    '--approve',
    '--body',
    `tickfleet: every required check passed at ${branch.head.slice(0, 12)} (${passed.join(', ')}).`,
  ]);
  const auto = await enableAutoMerge(gh, branch.pr, options.mergeMethod ?? 'merge');
  await writeJsonAtomic(file, {
    at: isoSeconds(options.clock.now()),
    auto_merge: auto.enabled ? 'enabled' : 'refused',
    ...(auto.enabled ? {} : { auto_merge_error: auto.reason }),
  });
  for (const t of [...(branch.fixOf?.origin_tasks ?? []), branch.task])
    await markStage(layout, t, 'approved', options.clock);
  options.log(
    `gatekeeper: PR #${branch.pr} (${branch.task}): checks passed, approved at ${branch.head.slice(0, 12)}; auto-merge ${auto.enabled ? 'enabled' : `refused: ${auto.reason}`}`,
  );
  if (!auto.enabled)
    await sendMessage(
      layout,
      {
        type: 'warning',
        title: `PR #${branch.pr}: auto-merge could not be enabled`,
        body: `PR #${branch.pr} (\`${branch.branch}\`) passed its required checks and is approved, but GitHub refused \`gh pr merge --auto\`: ${auto.reason}.\n\nMerge it yourself (\`gh pr merge ${branch.pr}\`), or allow auto-merge in the repository's settings (or set merge_queue.github_merge_method to a method it allows).`,
        from: GATEKEEPER,
        task: branch.task,
        dedupeKey: `gatekeeper:auto-merge:${branch.subject}:${branch.head}`,
      },
      { clock: options.clock },
    );
}
