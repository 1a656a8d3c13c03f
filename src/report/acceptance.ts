import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ignoreMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { checksDir, readVerdicts } from '../gatekeeper/store.js';
import type { Proposal } from '../proposals/proposal.js';
import type { Task } from '../tasks/task.js';
import { type Rate, type RoleAcceptance, rate } from './report.js';

const TASK_ID = /TASK-[0-9a-f]{8}/;
const APPROVED_STAGES = new Set(['approved', 'merging', 'merged']);

interface Window {
  since: number;
  until: number;
}

const within = (iso: string | undefined, w: Window) => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return t >= w.since && t < w.until;
};

/**
 * Acceptance per role. `roleOf` names the role a task's work is counted for
 * (the role of the agent that ran it, from the ledger, else the task's role).
 */
export async function acceptanceByRole(
  layout: Layout,
  input: { tasks: readonly Task[]; proposals: readonly Proposal[]; roleOf: (task: Task) => string },
  w: Window,
): Promise<Record<string, RoleAcceptance>> {
  const out: Record<string, RoleAcceptance> = {};
  const add = (role: string, key: keyof RoleAcceptance, passed: boolean) => {
    const r = out[role] ?? {};
    out[role] = r;
    const prev: Rate = r[key] ?? rate(0, 0);
    r[key] = rate(prev.passed + (passed ? 1 : 0), prev.total + 1);
  };
  const byId = new Map(input.tasks.map((t) => [t.id, t]));

  for (const first of await firstCheckedHeads(layout)) {
    if (!within(first.at, w)) continue;
    const taskId = TASK_ID.exec(first.subject)?.[0];
    const task = taskId ? byId.get(taskId) : undefined;
    add(task ? input.roleOf(task) : 'unknown', 'checks_first_try', first.passed);
  }
  for (const t of input.tasks) {
    if (t.state !== 'done' || !t.stage || !within(t.stage_at, w)) continue;
    if (APPROVED_STAGES.has(t.stage)) add(input.roleOf(t), 'reviews_approved', true);
    else if (t.stage === 'changes_requested') add(input.roleOf(t), 'reviews_approved', false);
  }
  for (const p of input.proposals) {
    if (p.state === 'active' || !within(p.decided_at, w)) continue;
    add('proposer', 'proposals_promoted', p.state === 'promoted');
  }
  return out;
}

/**
 * For each delivered branch in the verdict store, its first checked commit
 * (the head with the earliest verdict) and whether every required check on it
 * passed. Later heads are fix rounds: they do not count as a first try.
 */
async function firstCheckedHeads(layout: Layout): Promise<{ subject: string; at: string; passed: boolean }[]> {
  const root = checksDir(layout);
  const dirs = (await fs.readdir(root, { withFileTypes: true }).catch(ignoreMissing)) ?? [];
  const subjects = dirs.filter((e) => e.isDirectory()).map((e) => e.name);
  const out: { subject: string; at: string; passed: boolean }[] = [];
  for (const subject of subjects) {
    const entries = (await fs.readdir(path.join(root, subject), { withFileTypes: true }).catch(ignoreMissing)) ?? [];
    const heads = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    let first: { at: string; passed: boolean } | undefined;
    for (const head of heads) {
      const verdicts = Object.values(await readVerdicts(layout, subject, head));
      if (verdicts.length === 0) continue;
      const at = verdicts.map((v) => v.at).sort()[0]!;
      const passed = verdicts.every((v) => !v.required || v.verdict === 'pass');
      if (!first || at < first.at) first = { at, passed };
    }
    if (first) out.push({ subject, ...first });
  }
  return out;
}
