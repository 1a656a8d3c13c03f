import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { appendSection } from './complete.js';
import { loadFenced } from './fenced.js';
import { handoffOf } from './handoff.js';
import { releasesDependents, taskLifecycle } from './lifecycle.js';
import { findTask } from './list.js';
import { loadTaskLocked, saveTask, withTaskLock } from './store.js';
import type { Task, TaskResult } from './task.js';
import { SPLIT_KEY, splitChildren } from './tree.js';

/**
 * The split parents waiting for their children: `.orchestrator/split-parents.json`,
 * written under the queue lock from the split on, so the tick looks at these
 * few tasks instead of reading the done/ folder. An id that is no longer a
 * waiting parent is dropped when it is next looked at.
 */
export function splitIndexFile(layout: Layout): string {
  return path.join(layout.dir, 'split-parents.json');
}

async function readIndex(layout: Layout): Promise<string[]> {
  return (await readJsonIfExists<{ parents: string[] }>(splitIndexFile(layout)))?.parents ?? [];
}

/** Remember a split parent; caller holds the queue lock. */
export async function indexSplitParent(layout: Layout, id: string): Promise<void> {
  const index = await readIndex(layout);
  if (!index.includes(id)) await writeJsonAtomic(splitIndexFile(layout), { parents: [...index, id] });
}

/**
 * claimed → done as `split`, fenced by the lease: the run that split its task
 * ends here, with no branch to deliver. Caller checked splitChildren(task).
 */
export async function completeSplit(
  layout: Layout,
  id: string,
  token: string,
  options: { result: TaskResult; handoff?: string; clock?: Clock },
): Promise<Task> {
  return withTaskLock(layout, async () => {
    const task = await loadFenced(layout, id, token);
    const children = splitChildren(task);
    if (children.length === 0) throw new ExitError(`${id} was not split; it cannot wait for children`);
    task.result = { ...options.result, [SPLIT_KEY]: children };
    task.lease = undefined;
    task.not_before = undefined;
    task.stage = 'split';
    task.stage_at = isoSeconds((options.clock ?? systemClock).now());
    if (options.handoff?.trim()) task.body = appendSection(task.body, 'Handoff', options.handoff);
    const done = await saveTask(layout, task, 'done');
    await indexSplitParent(layout, id);
    return done;
  });
}

/** What became of a split parent this pass. */
export type SplitSettlement =
  | { id: string; title: string; outcome: 'merged'; children: string[] }
  | { id: string; title: string; outcome: 'failed'; child: string; reason: string };

/**
 * Finish the split parents whose children have all ended: merged once every
 * child is merged (or finished without a branch), failed once a child failed
 * for good or was cancelled: the parent cannot be done without it. The
 * parent's file gets each child's handoff under `## Children`, so its own
 * creator reads what was done. A failed parent loses its list of children:
 * `tickfleet retry-failed` on it starts it afresh (it may split again).
 * Parents still waiting are left as they are, and so is one still claimed
 * (its run's follow-up completes it); one sent back to incoming (its run died
 * after the split) goes to done/ as split, as its follow-up would have.
 */
export async function settleSplitParents(layout: Layout, options: { clock?: Clock } = {}): Promise<SplitSettlement[]> {
  if ((await readIndex(layout)).length === 0) return [];
  return withTaskLock(layout, async () => {
    const settled: SplitSettlement[] = [];
    const keep: string[] = [];
    for (const id of await readIndex(layout)) {
      const parent = await loadTaskLocked(layout, id).catch((err: unknown) => {
        if (err instanceof ExitError) return undefined; // removed by hand: nothing left to settle
        throw err;
      });
      if (!parent || splitChildren(parent).length === 0) continue;
      if (parent.state === 'claimed') {
        keep.push(id); // its run is still going: its follow-up completes it as split
        continue;
      }
      if (parent.state === 'incoming') {
        // Its run died after the split and reconcile sent it back: the children carry the work, so it waits as they do.
        parent.lease = undefined;
        parent.not_before = undefined;
        parent.stage = 'split';
        parent.stage_at = isoSeconds((options.clock ?? systemClock).now());
        await saveTask(layout, parent, 'done');
        keep.push(id);
        continue;
      }
      if (parent.state !== 'done' || parent.stage !== 'split') continue;
      const children = await Promise.all(splitChildren(parent).map((c) => findChild(layout, c)));
      const gone = children.indexOf(undefined);
      const ended = children.find((c) => c?.state === 'failed');
      const at = isoSeconds((options.clock ?? systemClock).now());
      if (gone >= 0 || ended) {
        const child = ended?.id ?? splitChildren(parent)[gone]!;
        const reason = ended
          ? `${ended.id} ${taskLifecycle(ended)}${ended.error ? `: ${ended.error}` : ''}`
          : `${child} is no longer in the queue`;
        parent.body = appendSection(parent.body, 'Children', childrenReport(children, splitChildren(parent)));
        parent.error = `child ${reason}`;
        parent.stage = undefined;
        parent.stage_at = undefined;
        const { [SPLIT_KEY]: ids, ...rest } = parent.result ?? {};
        parent.result = { ...rest, split_failed: ids };
        await saveTask(layout, parent, 'failed');
        settled.push({ id, title: parent.title, outcome: 'failed', child, reason });
        continue;
      }
      if (children.every((c) => c && c.state === 'done' && releasesDependents(taskLifecycle(c)))) {
        parent.body = appendSection(parent.body, 'Children', childrenReport(children, splitChildren(parent)));
        parent.stage = 'merged';
        parent.stage_at = at;
        await saveTask(layout, parent);
        settled.push({ id, title: parent.title, outcome: 'merged', children: splitChildren(parent) });
        continue;
      }
      keep.push(id);
    }
    await writeJsonAtomic(splitIndexFile(layout), { parents: keep });
    return settled;
  });
}

function findChild(layout: Layout, id: string): Promise<Task | undefined> {
  return findTask(layout, id).catch((err: unknown) => {
    // A child removed by hand: the parent cannot complete without it.
    if (err instanceof ExitError) return undefined;
    throw err;
  });
}

/** Each child's end and handoff, for the parent's file. */
function childrenReport(children: readonly (Task | undefined)[], ids: readonly string[]): string {
  return ids
    .map((id, i) => {
      const c = children[i];
      if (!c) return `### ${id} (missing)`;
      const handoff = handoffOf(c) ?? c.error ?? 'no handoff';
      return `### ${c.id} (${taskLifecycle(c).replace(/_/g, ' ')}): ${c.title}\n\n${handoff}`;
    })
    .join('\n\n');
}
