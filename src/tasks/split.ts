import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { appendSection } from './complete.js';
import { enqueueTaskLocked } from './enqueue.js';
import { loadFenced } from './fenced.js';
import { indexSplitParent } from './splitSettle.js';
import { saveTask, withTaskLock } from './store.js';
import type { Task } from './task.js';
import { SPLIT_KEY, splitChildren, taskDepth } from './tree.js';

/** One child of a split: its title, its work, and the earlier children it waits for (their 1-based places). */
export interface SplitChild {
  title: string;
  body?: string;
  /** Task role; default the parent's. */
  role?: string;
  /** 1-based places of earlier children this one is blocked by. */
  after?: number[];
}

export interface SplitOptions {
  /** `tasks.max_depth`: a task at this depth cannot be split. */
  maxDepth: number;
  /** Who split it (the agent holding the task). */
  by: string;
  clock?: Clock;
}

/** Most children one split makes: past this, the task wants a plan (`tickfleet plan import`), not a split. */
export const MAX_CHILDREN = 20;

/**
 * Split a claimed task into children, fenced by its lease: every child is
 * checked before any is written, then each is queued with `parent` set, the
 * parent's role, priority, base, plan and lane (the role may be given), and
 * `blocked_by` its earlier siblings named in `after`. The parent stays
 * claimed, with its children listed in its result and under `## Split`; its
 * run's follow-up moves it to done/ as `split` instead of delivering a branch
 * (roles/taskWork.ts). Children are not held to max_incoming: they replace
 * the parent's work rather than add to it. A task split already, or at
 * `maxDepth`, is refused with a one-line ExitError.
 */
export async function splitTask(
  layout: Layout,
  id: string,
  token: string,
  children: readonly SplitChild[],
  options: SplitOptions,
): Promise<{ parent: Task; children: Task[] }> {
  checkChildren(id, children);
  return withTaskLock(layout, async () => {
    const parent = await loadFenced(layout, id, token);
    const already = splitChildren(parent);
    if (already.length > 0) throw new ExitError(`${id} was split already, into ${already.join(', ')}`);
    const depth = await taskDepth(layout, parent);
    if (depth >= options.maxDepth)
      throw new ExitError(
        `${id} is at depth ${depth} and tasks.max_depth is ${options.maxDepth}: it cannot be split further; do it as one task (or raise tasks.max_depth in agents.yaml)`,
      );
    const made: Task[] = [];
    for (const child of children) {
      made.push(
        await enqueueTaskLocked(
          layout,
          {
            title: child.title,
            role: child.role ?? parent.role,
            created_by: options.by,
            priority: parent.priority,
            ...(parent.branch ? { branch: parent.branch } : {}),
            blocked_by: (child.after ?? []).map((n) => made[n - 1]!.id),
            max_attempts: parent.max_attempts,
            ...(parent.skip_pr ? { skip_pr: true } : {}),
            ...(parent.plan ? { plan: parent.plan } : {}),
            ...(parent.lane ? { lane: parent.lane } : {}),
            parent: parent.id,
            body: childBody(parent, child),
          },
          { clock: options.clock },
        ),
      );
    }
    const at = isoSeconds((options.clock ?? systemClock).now());
    parent.result = { ...parent.result, [SPLIT_KEY]: made.map((t) => t.id) };
    const lines = made.map((t, i) => {
      const after = (children[i]!.after ?? []).map((n) => made[n - 1]!.id);
      return `- ${t.id} [${t.role}] ${t.title}${after.length ? ` (after ${after.join(', ')})` : ''}`;
    });
    parent.body = appendSection(
      parent.body,
      'Split',
      `Split by ${options.by} at ${at} into ${made.length} task${made.length === 1 ? '' : 's'}; this task completes when every one is merged:\n${lines.join('\n')}`,
    );
    const saved = await saveTask(layout, parent);
    // Indexed now, not only when its run ends: a run that dies after the split leaves it to the tick (splitSettle.ts).
    await indexSplitParent(layout, parent.id);
    return { parent: saved, children: made };
  });
}

function childBody(parent: Task, child: SplitChild): string {
  const work = child.body?.trim() || child.title.trim();
  return `\n## Context\nPart of ${parent.id} (${parent.title}), split because it was too large for one run.\n\n${work}\n`;
}

/** Every child checked before any is written, so a bad one leaves nothing half-split. */
function checkChildren(id: string, children: readonly SplitChild[]): void {
  if (children.length === 0)
    throw new ExitError(`split ${id}: give at least one child (--child "title :: what to do")`);
  if (children.length > MAX_CHILDREN)
    throw new ExitError(`split ${id}: ${children.length} children; at most ${MAX_CHILDREN} in one split`);
  children.forEach((c, i) => {
    const n = i + 1;
    if (typeof c.title !== 'string' || c.title.trim() === '')
      throw new ExitError(`split ${id}: child ${n} has no title (--child "title :: what to do")`);
    if (/[\r\n]/.test(c.title.trim())) throw new ExitError(`split ${id}: child ${n}'s title must be one line`);
    if (c.role !== undefined && !/^[A-Za-z0-9_-]+$/.test(c.role))
      throw new ExitError(
        `split ${id}: child ${n}'s role must be one word such as implement or test, got ${JSON.stringify(c.role)}`,
      );
    for (const a of c.after ?? []) {
      if (!Number.isInteger(a) || a < 1 || a >= n)
        throw new ExitError(`split ${id}: child ${n} can wait only for an earlier child (1 to ${n - 1}), got ${a}`);
    }
  });
}
