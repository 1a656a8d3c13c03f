import type { Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { createLocalReview } from '../review/local.js';
import { markStage } from './markStage.js';
import type { WaitingBranch } from './waiting.js';

/**
 * Every required check passed and `auto_approve` is on: approve through the
 * local back end, which puts the checked head in the merge queue (the tick's
 * next step runs it: batches stacked on the base, the project's tests, a
 * fast-forward). The tasks whose work the branch carries (earlier rounds
 * included) take the branch's stage. A merge that fails later is the
 * queue's to handle (a fix task for a culprit or a conflict), never a person's.
 */
export async function approveBranch(
  layout: Layout,
  _config: Config,
  branch: WaitingBranch,
  options: { clock: Clock; log: (line: string) => void },
): Promise<void> {
  const review = createLocalReview({ layout, clock: options.clock });
  await review.approve(branch.subject);
  for (const t of [...(branch.fixOf?.origin_tasks ?? []), branch.task])
    await markStage(layout, t, 'approved', options.clock);
  options.log(`gatekeeper: ${branch.subject}: checks passed, approved; queued for the merge queue`);
}
