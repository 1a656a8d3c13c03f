import type { Blockers } from './blockers.js';
import { lifecycleLabel } from './lifecycle.js';
import type { TaskSummary } from './scan.js';

/**
 * Which incoming task is claimed first: expedite, then priority P0..P3, then
 * age (created), then id so the order is total and the same in every process.
 */
export function compareClaimOrder(a: TaskSummary, b: TaskSummary): number {
  if (a.expedite !== b.expedite) return a.expedite ? -1 : 1;
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  const ta = createdMs(a.created);
  const tb = createdMs(b.created);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// Claim order compares thousands of tasks a claim; most share a handful of dates.
const parsedDates = new Map<string, number>();

function createdMs(created: string): number {
  let t = parsedDates.get(created);
  if (t === undefined) {
    // A hand-written task without a date counts as the oldest.
    const parsed = Date.parse(created);
    t = Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
    if (parsedDates.size > 100_000) parsedDates.clear();
    parsedDates.set(created, t);
  }
  return t;
}

/** Whether an agent limited to `lanes` may claim the task: any task when it has none, else one whose lane is listed. */
export function inLanes(task: Pick<TaskSummary, 'lane'>, lanes: readonly string[] | undefined): boolean {
  return lanes === undefined || (task.lane !== undefined && lanes.includes(task.lane));
}

/** "role implement" or "role implement in lanes a, b": who a reason speaks of. */
export function claimerText(role: string, lanes: readonly string[] | undefined): string {
  return lanes === undefined
    ? `role ${role}`
    : `role ${role} in lane${lanes.length === 1 ? '' : 's'} ${lanes.join(', ')}`;
}

export type Claimability =
  | { claimable: true }
  | { claimable: false; blockedBy: string[] }
  | { claimable: false; waitingUntil: string };

/**
 * Blocked while any blocked_by id is not met (not in done/, or done with its
 * branch not yet merged: blockers.ts); waiting while not_before is in the future.
 */
export function claimability(
  task: Pick<TaskSummary, 'blocked_by' | 'not_before'>,
  blockers: Blockers,
  now: Date,
): Claimability {
  const open = task.blocked_by.filter((id) => !blockers.met(id));
  if (open.length > 0) return { claimable: false, blockedBy: open };
  if (task.not_before !== undefined && Date.parse(task.not_before) > now.getTime())
    return { claimable: false, waitingUntil: task.not_before };
  return { claimable: true };
}

/**
 * Why nothing of a role (in its lanes, when it has some) can be claimed, in
 * one line: "no claimable task for role implement (2 blocked by TASK-a,
 * TASK-b; 1 waits for TASK-x to be merged (in review); 1 waiting until T)".
 */
export function noClaimableReason(
  role: string,
  tasks: readonly TaskSummary[],
  blockers: Blockers,
  now: Date,
  lanes?: readonly string[],
): string {
  const who = claimerText(role, lanes);
  const ofRole = tasks.filter((t) => t.role === role && inLanes(t, lanes));
  if (ofRole.length === 0) {
    const elsewhere = lanes === undefined ? 0 : tasks.filter((t) => t.role === role).length;
    return `no claimable task for ${who} (none in incoming${elsewhere > 0 ? `; ${elsewhere} in other lanes` : ''})`;
  }
  let blocked = 0;
  let awaiting = 0;
  const open = new Set<string>();
  const unmerged = new Set<string>();
  const waiting: string[] = [];
  for (const task of ofRole) {
    const c = claimability(task, blockers, now);
    if (c.claimable) continue;
    if ('blockedBy' in c) {
      const notDone = c.blockedBy.filter((id) => blockers.awaitingMerge(id) === undefined);
      if (notDone.length > 0) blocked++;
      else awaiting++;
      for (const id of notDone) open.add(id);
      for (const id of c.blockedBy) if (!notDone.includes(id)) unmerged.add(id);
    } else {
      waiting.push(c.waitingUntil);
    }
  }
  const parts: string[] = [];
  if (blocked > 0) parts.push(`${blocked} blocked by ${someIds([...open])}`);
  if (awaiting > 0) {
    const ids = [...unmerged].sort();
    const what =
      ids.length === 1
        ? `${ids[0]} to be merged (${lifecycleLabel(blockers.awaitingMerge(ids[0]!) ?? 'in_review')})`
        : `${someIds(ids)} to be merged`;
    parts.push(`${awaiting} ${awaiting === 1 ? 'waits' : 'wait'} for ${what}`);
  }
  if (waiting.length > 0)
    parts.push(`${waiting.length} waiting until ${waiting.sort((x, y) => Date.parse(x) - Date.parse(y))[0]}`);
  return `no claimable task for ${who}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}

function someIds(ids: string[]): string {
  const sorted = ids.sort();
  return `${sorted.slice(0, 3).join(', ')}${sorted.length > 3 ? `, … (${sorted.length} tasks)` : ''}`;
}
