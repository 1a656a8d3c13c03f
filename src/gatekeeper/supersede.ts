import type { Layout } from '../core/paths.js';
import { createLocalReview } from '../review/local.js';
import { ReviewStore } from '../review/reviewStore.js';
import type { WaitingBranch } from './waiting.js';

/**
 * A fix's delivery is a new review carrying the old one's work: the old
 * review, still pending with its failed checks, is closed as superseded (no
 * rework task: the fix is that work), so the same change is never approved twice.
 */
export async function supersede(layout: Layout, branch: WaitingBranch): Promise<void> {
  const old = branch.fixOf?.of;
  if (!old || old === branch.subject) return;
  if (!(await new ReviewStore(layout).read('pending', old))) return;
  await createLocalReview({ layout }).reject(
    old,
    `superseded by ${branch.subject} (gatekeeper fix round ${branch.fixOf!.round})`,
  );
}
