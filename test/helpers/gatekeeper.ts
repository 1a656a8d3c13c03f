import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../../src/core/paths.js';
import { createLocalReview } from '../../src/review/local.js';
import { claimTask } from '../../src/tasks/claim.js';
import { completeTask } from '../../src/tasks/complete.js';
import { enqueueTask } from '../../src/tasks/enqueue.js';
import type { Task } from '../../src/tasks/task.js';
import { git } from './tmp.js';

/**
 * A delivered branch waiting in the local review queue, as an implementer's
 * run leaves it: a task, its branch `agent/<task>` with one commit, a pending
 * review record, and the task in done/ with its branch in review. `from`
 * continues another branch (a fix's delivery).
 */
export async function deliverBranch(
  layout: Layout,
  options: { title: string; files?: Record<string, string>; remove?: string[]; from?: string; task?: Task },
): Promise<{ task: Task; branch: string; review: string; head: string }> {
  const task =
    options.task ?? (await enqueueTask(layout, { title: options.title, role: 'implement', created_by: 'test' }));
  const branch = `agent/${task.id}`;
  git(layout.root, 'checkout', '-q', '-b', branch, options.from ?? 'main');
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(layout.root, file)), { recursive: true });
    writeFileSync(path.join(layout.root, file), text);
  }
  for (const file of options.remove ?? []) rmSync(path.join(layout.root, file));
  git(layout.root, 'add', '-A', '--', ...Object.keys(options.files ?? {}), ...(options.remove ?? []));
  git(layout.root, 'commit', '-q', '-m', `${task.id}: ${options.title}`);
  const head = git(layout.root, 'rev-parse', 'HEAD').trim();
  git(layout.root, 'checkout', '-q', 'main');
  // Delivered: the task is done, its branch in review (a task still queued has no stage to move).
  const claim = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 600 });
  if (!claim.ok) throw new Error(claim.reason);
  const delivered = await completeTask(layout, task.id, claim.token, {
    result: { branch, head },
    stage: 'in_review',
  });
  const submitted = await createLocalReview({ layout }).submit({
    taskId: task.id,
    branch,
    base: 'main',
    title: `${task.id}: ${options.title}`,
    body: 'done',
  });
  return { task: delivered, branch, review: submitted.id, head };
}
