import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../../src/core/paths.js';
import { createLocalReview } from '../../src/review/local.js';
import { enqueueTask } from '../../src/tasks/enqueue.js';
import type { Task } from '../../src/tasks/task.js';
import { git } from './tmp.js';

/**
 * Commit the project as it is, then deliver `agent/<task>` (one commit adding
 * greeting.txt) to the local review queue, as an implementer's run would.
 */
export async function deliverGreeting(layout: Layout): Promise<Task> {
  git(layout.root, 'add', '-A');
  git(layout.root, 'commit', '-qm', 'tickfleet');
  const task = await enqueueTask(layout, { title: 'Add a greeting', role: 'implement', created_by: 'test' });
  git(layout.root, 'branch', `agent/${task.id}`);
  const wt = path.join(layout.root, '..', `${path.basename(layout.root)}-wt`);
  git(layout.root, 'worktree', 'add', '-q', wt, `agent/${task.id}`);
  writeFileSync(path.join(wt, 'greeting.txt'), 'hello\n');
  git(wt, 'add', '-A');
  git(wt, 'commit', '-qm', `${task.id}: Add a greeting`);
  git(layout.root, 'worktree', 'remove', wt);
  await createLocalReview({ layout }).submit({
    taskId: task.id,
    branch: `agent/${task.id}`,
    base: 'main',
    title: `${task.id}: Add a greeting`,
    body: 'Adds greeting.txt',
  });
  return task;
}

/**
 * A person at work in the checkout that holds the base: a tracked file
 * changed, a file staged, an untracked one. Returns what must stay exactly
 * as it is whatever tickfleet does.
 */
export function editLikeAPerson(root: string): () => Record<string, string> {
  writeFileSync(path.join(root, 'README.md'), 'my edit, not committed\n');
  writeFileSync(path.join(root, 'notes.txt'), 'staged\n');
  git(root, 'add', 'notes.txt');
  writeFileSync(path.join(root, 'scratch.txt'), 'untracked\n');
  return () => ({
    readme: readFileSync(path.join(root, 'README.md'), 'utf8'),
    notes: readFileSync(path.join(root, 'notes.txt'), 'utf8'),
    scratch: readFileSync(path.join(root, 'scratch.txt'), 'utf8'),
    status: git(root, 'status', '--porcelain'),
    head: git(root, 'rev-parse', 'HEAD'),
    stash: git(root, 'stash', 'list'),
  });
}
