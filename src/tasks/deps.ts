import type { TaskState } from './task.js';

/** What dependency checks need of a task. */
export interface DependencyNode {
  id: string;
  blocked_by: readonly string[];
  state: TaskState;
}

export type DependencyProblem =
  | { kind: 'unknown'; id: string; blocker: string; message: string }
  | { kind: 'failed'; id: string; blocker: string; message: string }
  | { kind: 'cycle'; ids: string[]; message: string };

/**
 * blocked_by problems that would leave open tasks waiting for ever: an id no
 * task has, a blocker that failed, and cycles among open tasks. Pass tasks of
 * every state, so done and failed blockers are known.
 */
export function dependencyProblems(tasks: readonly DependencyNode[]): DependencyProblem[] {
  // Only an open task that waits on something can have a problem; in most queues none does, and then
  // nothing is built for the thousands of tasks that wait on nothing (queue-status reads this every time).
  const waiting = tasks.filter((t) => t.blocked_by.length > 0 && isOpen(t.state));
  if (waiting.length === 0) return [];
  const stateOf = new Map<string, TaskState>();
  const openIds = new Set<string>();
  for (const t of tasks) {
    stateOf.set(t.id, t.state);
    if (isOpen(t.state)) openIds.add(t.id);
  }
  const problems: DependencyProblem[] = [];
  for (const task of waiting) {
    for (const blocker of task.blocked_by) {
      const b = stateOf.get(blocker);
      if (b === undefined)
        problems.push({
          kind: 'unknown',
          id: task.id,
          blocker,
          message: `${task.id} is blocked by ${blocker}, which is not a known task`,
        });
      else if (b === 'failed')
        problems.push({
          kind: 'failed',
          id: task.id,
          blocker,
          message: `${task.id} is blocked by ${blocker}, which failed (retry or cancel it)`,
        });
    }
  }
  for (const ids of cycles(waiting, openIds)) {
    problems.push({
      kind: 'cycle',
      ids,
      message: `blocked_by cycle among ${ids.join(', ')}: none of them can ever be claimed`,
    });
  }
  return problems;
}

function isOpen(state: TaskState): boolean {
  return state === 'incoming' || state === 'claimed';
}

/**
 * Strongly connected components with more than one task, or a task blocking
 * itself (Tarjan, iterative), among the open tasks that wait on something:
 * only a task waiting on another open task can be part of a cycle.
 */
function cycles(waiting: readonly DependencyNode[], openIds: ReadonlySet<string>): string[][] {
  const edges = new Map<string, string[]>();
  for (const t of waiting) {
    const out = t.blocked_by.filter((b) => openIds.has(b));
    if (out.length > 0) edges.set(t.id, out);
  }
  for (const out of edges.values()) {
    for (let i = out.length - 1; i >= 0; i--) if (!edges.has(out[i]!)) out.splice(i, 1);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  for (const root of [...edges.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.id) ?? [];
      if (frame.i < out.length) {
        const to = out[frame.i++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      if (component.length > 1 || out.includes(frame.id)) found.push(component.sort());
    }
  }
  return found;
}
