import type { PlanJob } from './plan.js';

export interface GraphProblem {
  line: number;
  message: string;
}

/**
 * Every dependency names a job of the plan, and the jobs form a DAG. The
 * first problem in file order, at the line of the job that has it (for a
 * cycle, the first of its jobs in the file), or undefined.
 */
export function checkGraph(jobs: readonly PlanJob[]): GraphProblem | undefined {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const job of jobs) {
    for (const dep of job.deps) {
      if (dep === job.id) return { line: job.line, message: `${job.id} depends on itself` };
      if (!byId.has(dep))
        return {
          line: job.line,
          message: `deps: ${dep} is not a job of this plan (jobs: ${jobs.map((j) => j.id).join(', ')})`,
        };
    }
  }
  const cycle = findCycle(jobs, byId);
  if (!cycle) return undefined;
  const first = cycle.reduce((a, b) => (a.line <= b.line ? a : b));
  const start = cycle.indexOf(first);
  const path = [...cycle.slice(start), ...cycle.slice(0, start), first].map((j) => j.id);
  return {
    line: first.line,
    message: `dependency cycle: ${path.join(' → ')} (→: depends on); remove one of these deps`,
  };
}

/** The jobs of one cycle, each depending on the next (the last on the first), or undefined. */
function findCycle(jobs: readonly PlanJob[], byId: ReadonlyMap<string, PlanJob>): PlanJob[] | undefined {
  const state = new Map<string, 'open' | 'closed'>();
  const stack: PlanJob[] = [];
  const visit = (job: PlanJob): PlanJob[] | undefined => {
    state.set(job.id, 'open');
    stack.push(job);
    for (const dep of job.deps) {
      const next = byId.get(dep)!;
      const s = state.get(dep);
      if (s === 'open') return stack.slice(stack.indexOf(next));
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(job.id, 'closed');
    return undefined;
  };
  for (const job of jobs) {
    if (state.has(job.id)) continue;
    const found = visit(job);
    if (found) return found;
  }
  return undefined;
}

/** Jobs with every dependency before its dependents; file order among the rest. Assumes checkGraph passed. */
export function dependencyOrder(jobs: readonly PlanJob[]): PlanJob[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const done = new Set<string>();
  const out: PlanJob[] = [];
  const place = (job: PlanJob): void => {
    if (done.has(job.id)) return;
    done.add(job.id);
    for (const dep of job.deps) place(byId.get(dep)!);
    out.push(job);
  };
  for (const job of jobs) place(job);
  return out;
}
