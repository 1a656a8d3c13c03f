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

function createdMs(created: string): number {
  // A hand-written task without a date counts as the oldest.
  const t = Date.parse(created);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

export type Claimability =
  | { claimable: true }
  | { claimable: false; blockedBy: string[] }
  | { claimable: false; waitingUntil: string };

/** Blocked while any blocked_by id is not in done/; waiting while not_before is in the future. */
export function claimability(task: TaskSummary, doneIds: ReadonlySet<string>, now: Date): Claimability {
  const open = task.blocked_by.filter((id) => !doneIds.has(id));
  if (open.length > 0) return { claimable: false, blockedBy: open };
  if (task.not_before !== undefined && Date.parse(task.not_before) > now.getTime())
    return { claimable: false, waitingUntil: task.not_before };
  return { claimable: true };
}

/**
 * Why nothing of a role can be claimed, in one line:
 * "no claimable task for role implement (2 blocked by TASK-a, TASK-b; 1 waiting until T)".
 */
export function noClaimableReason(
  role: string,
  tasks: readonly TaskSummary[],
  doneIds: ReadonlySet<string>,
  now: Date,
): string {
  const ofRole = tasks.filter((t) => t.role === role);
  if (ofRole.length === 0) return `no claimable task for role ${role} (none in incoming)`;
  let blocked = 0;
  const blockers = new Set<string>();
  const waiting: string[] = [];
  for (const task of ofRole) {
    const c = claimability(task, doneIds, now);
    if (c.claimable) continue;
    if ('blockedBy' in c) {
      blocked++;
      for (const id of c.blockedBy) blockers.add(id);
    } else {
      waiting.push(c.waitingUntil);
    }
  }
  const parts: string[] = [];
  if (blocked > 0) {
    const ids = [...blockers].sort();
    parts.push(
      `${blocked} blocked by ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? `, … (${ids.length} tasks)` : ''}`,
    );
  }
  if (waiting.length > 0)
    parts.push(`${waiting.length} waiting until ${waiting.sort((x, y) => Date.parse(x) - Date.parse(y))[0]}`);
  return `no claimable task for role ${role}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}
