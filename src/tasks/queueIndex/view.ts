import { type Blockers, blockersFrom } from '../blockers.js';
import { type Lifecycle, taskLifecycle } from '../lifecycle.js';
import { claimability, inLanes } from '../order.js';
import type { TaskSummary } from '../scan.js';
import type { TaskState } from '../task.js';
import { claimOrder } from './claimOrder.js';
import type { IndexModel } from './model.js';

/** The summaries the index holds for a folder (files it could not read left out). */
export function summariesOf(model: IndexModel, state: TaskState): TaskSummary[] {
  const out: TaskSummary[] = [];
  for (const e of model.folders[state].files.values()) if (e.s) out.push(e.s);
  return out;
}

/**
 * blocked_by as done/ has it (blockers.ts): met by a done task that is
 * merged or finished; a done file the full parse rejects counts as
 * finished, as it always did.
 */
export function indexBlockers(model: IndexModel): Blockers {
  const done = model.folders.done.files;
  const lifecycleOf = (id: string): Lifecycle | undefined => {
    const e = done.get(`${id}.md`);
    if (!e) return undefined;
    return e.s ? taskLifecycle({ state: 'done', stage: e.s.stage }) : 'finished';
  };
  return blockersFrom(lifecycleOf);
}

/**
 * The first incoming task in claim order that an agent of `role` (limited
 * to `lanes`, when given) may claim now, skipping `skip` (file names).
 * Taken from the folder's claim order (claimOrder.ts), which a process that
 * claims again keeps current from the names changed since, so a claim looks
 * at the tasks ahead of the one it takes, not at every waiting task.
 */
export function bestCandidate(
  model: IndexModel,
  role: string,
  lanes: readonly string[] | undefined,
  blockers: Blockers,
  now: Date,
  skip: ReadonlySet<string>,
): { name: string; summary: TaskSummary } | undefined {
  const folder = model.folders.incoming;
  for (const { name, entry } of claimOrder(folder, role)) {
    const s = entry.s!;
    if (skip.has(name) || !inLanes(s, lanes)) continue;
    if (!claimability(s, blockers, now).claimable) continue;
    return { name, summary: s };
  }
  return undefined;
}
