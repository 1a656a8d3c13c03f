import { ExitError } from '../core/errors.js';
import { SAFE_ID } from '../core/ids.js';
import type { Layout } from '../core/paths.js';
import { type Decision, recordDecision } from './decision.js';
import type { Proposal } from './proposal.js';
import { moveProposal } from './store.js';

/** active → promoted, recording the task it became and its score. */
export async function promoteProposal(
  layout: Layout,
  id: string,
  options: Decision & { taskId: string; score: number },
): Promise<Proposal> {
  if (!SAFE_ID.test(options.taskId))
    throw new ExitError(
      `promote ${id}: taskId ${JSON.stringify(options.taskId)} is not a task id (for example TASK-a1b2c3d4)`,
    );
  if (!Number.isFinite(options.score))
    throw new ExitError(`promote ${id}: score must be a number, got ${options.score}`);
  return moveProposal(layout, id, ['active'], 'promoted', 'promoted', (p) => {
    p.task_id = options.taskId;
    p.score = options.score;
    recordDecision(p, options);
  });
}
