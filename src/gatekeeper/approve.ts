import type { Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { createLocalReview, waitsForPerson } from '../review/local.js';
import { markStage } from './markStage.js';
import { notifyNeedsPerson } from './notify.js';
import type { WaitingBranch } from './waiting.js';

/**
 * Every required check passed and `auto_approve` is on: approve through the
 * local back end, which merges the checked head through the merge queue
 * (rebase, the project's tests, fast-forward). The tasks whose work the
 * branch carries (earlier rounds included) take the branch's stage.
 */
export async function approveBranch(
  layout: Layout,
  config: Config,
  branch: WaitingBranch,
  options: { clock: Clock; log: (line: string) => void },
): Promise<void> {
  const review = createLocalReview({
    layout,
    clock: options.clock,
    ...(config.review.test_command ? { testCommand: config.review.test_command } : {}),
  });
  const tasks = [...(branch.fixOf?.origin_tasks ?? []), branch.task];
  const { merge } = await review.approve(branch.subject);
  if (merge?.merged) {
    for (const t of tasks) await markStage(layout, t, 'merged', options.clock);
    options.log(`gatekeeper: ${branch.subject}: checks passed, approved and merged at ${merge.head.slice(0, 12)}`);
    return;
  }
  const why = merge ? merge.reason : 'no merge was attempted';
  options.log(`gatekeeper: ${branch.subject}: checks passed and approved; not merged: ${why}`);
  if (merge && !waitsForPerson(merge)) {
    // Back in pending with the merge's reason: a person decides (status lists it under "needs a person").
    return notifyNeedsPerson(layout, branch, `its checks passed but the merge failed: ${why}`, options.clock);
  }
  for (const t of tasks) await markStage(layout, t, 'approved', options.clock);
  return notifyNeedsPerson(layout, branch, `approved, its merge waits: ${why}`, options.clock);
}
