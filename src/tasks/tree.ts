import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { type Lifecycle, taskLifecycle } from './lifecycle.js';
import { findTask } from './list.js';
import type { Task } from './task.js';

/** The parent's result key that lists its children, so the runner and the tick find them without a scan. */
export const SPLIT_KEY = 'split_into';

/** The children a split parent waits for; [] for a task that was not split. */
export function splitChildren(task: Pick<Task, 'result'>): string[] {
  const ids = task.result?.[SPLIT_KEY];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** Guard against a hand-edited cycle of `parent` fields. */
const MAX_WALK = 64;

/** How deep a task is: a task without a parent is 0, its children 1, ... A parent that is gone ends the walk. */
export async function taskDepth(layout: Layout, task: Pick<Task, 'id' | 'parent'>): Promise<number> {
  let depth = 0;
  let parent = task.parent;
  const seen = new Set([task.id]);
  while (parent && depth < MAX_WALK) {
    if (seen.has(parent)) break;
    seen.add(parent);
    depth++;
    const found = await findTask(layout, parent).catch((err: unknown) => {
      // A parent removed by hand: its children keep the depth counted so far.
      if (err instanceof ExitError) return undefined;
      throw err;
    });
    parent = found?.parent;
  }
  return depth;
}

/** One task in a tree, as `show` prints it and `show --json` gives it. */
export interface TreeNode {
  id: string;
  title: string;
  lifecycle: Lifecycle | 'missing';
  children: TreeNode[];
}

export interface TaskTree {
  /** The task's ancestors, the root first. */
  ancestors: { id: string; title: string; lifecycle: Lifecycle | 'missing' }[];
  /** The task and its descendants. */
  node: TreeNode;
}

/** A task with its parents and its children (from each split's list), for `show`. */
export async function taskTree(layout: Layout, id: string): Promise<TaskTree> {
  const task = await findTask(layout, id);
  const ancestors: TaskTree['ancestors'] = [];
  const seen = new Set([task.id]);
  let parent = task.parent;
  while (parent && !seen.has(parent) && ancestors.length < MAX_WALK) {
    seen.add(parent);
    const found = await tryFind(layout, parent);
    ancestors.unshift(
      found
        ? { id: found.id, title: found.title, lifecycle: taskLifecycle(found) }
        : { id: parent, title: '', lifecycle: 'missing' },
    );
    parent = found?.parent;
  }
  const build = async (t: Task, depth: number): Promise<TreeNode> => {
    const children: TreeNode[] = [];
    if (depth < MAX_WALK)
      for (const childId of splitChildren(t)) {
        const child = await tryFind(layout, childId);
        children.push(
          child ? await build(child, depth + 1) : { id: childId, title: '', lifecycle: 'missing', children: [] },
        );
      }
    return { id: t.id, title: t.title, lifecycle: taskLifecycle(t), children };
  };
  return { ancestors, node: await build(task, 0) };
}

async function tryFind(layout: Layout, id: string): Promise<Task | undefined> {
  return findTask(layout, id).catch((err: unknown) => {
    if (err instanceof ExitError) return undefined;
    throw err;
  });
}

/** The tree as indented lines, the task marked with `*`; [] for a task with neither parent nor children. */
export function treeLines(tree: TaskTree): string[] {
  if (tree.ancestors.length === 0 && tree.node.children.length === 0) return [];
  const label = (n: { id: string; title: string; lifecycle: string }) =>
    `${n.id} · ${n.lifecycle.replace(/_/g, ' ')}${n.title ? ` · ${n.title}` : ''}`;
  const lines = tree.ancestors.map((a, i) => `${'  '.repeat(i)}${label(a)}`);
  const walk = (n: TreeNode, depth: number, self: boolean) => {
    lines.push(`${'  '.repeat(depth)}${self ? '* ' : ''}${label(n)}`);
    for (const c of n.children) walk(c, depth + 1, false);
  };
  walk(tree.node, tree.ancestors.length, true);
  return lines;
}
