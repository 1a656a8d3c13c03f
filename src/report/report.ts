import type { Lifecycle } from '../tasks/lifecycle.js';

/** A share: how many of `total` passed. `rate` is null when there was nothing to count. */
export interface Rate {
  passed: number;
  total: number;
  rate: number | null;
}

/** One ended task, as the report lists it. */
export interface EndedTask {
  id: string;
  title: string;
  role: string;
  /** When it ended: its stage time, else when its file last moved. */
  at: string;
  /** Why it failed (failed tasks only). */
  error?: string;
}

/** Acceptance of one role's work: how much passed the first time it was judged. */
export interface RoleAcceptance {
  /** Delivered branches whose first checked commit passed every required check. */
  checks_first_try?: Rate;
  /** Delivered tasks whose review approved them (approved, merging or merged) of those decided. */
  reviews_approved?: Rate;
  /** Proposals the curator promoted, of those it decided. */
  proposals_promoted?: Rate;
}

/**
 * The morning report: what the fleet achieved, spent and got wrong in a
 * window (default the last 24 h), from the run ledger and the queues. Plain
 * data: `--json` prints it as it is, the text form and the daily message are
 * rendered from it.
 */
export interface MorningReport {
  since: string;
  until: string;
  hours: number;
  tasks: {
    merged: EndedTask[];
    failed: EndedTask[];
    /** Tasks not ended now, by lifecycle (queued, working, in_review, ..., split); zero counts left out. */
    waiting: Partial<Record<Lifecycle, number>>;
  };
  throughput: {
    /** Commits on the base branch in the window; null when git could not say. */
    commits: number | null;
    commits_per_hour: number | null;
    merged_per_hour: number;
  };
  cost: {
    total_usd: number;
    /** The whole window's spend divided by the tasks merged in it (failures included: what one merge cost). */
    per_merged_task_usd: number | null;
    by_role: Record<string, number>;
  };
  acceptance: Record<string, RoleAcceptance>;
  errors: {
    runs: number;
    failed_runs: number;
    /** Runs that did not end in success, of all runs. */
    error_rate: number | null;
    /** The commonest outcomes of runs that did not succeed, with the latest reason for each. */
    top_reasons: { outcome: string; count: number; example: string }[];
  };
}

export function rate(passed: number, total: number): Rate {
  return { passed, total, rate: total === 0 ? null : round(passed / total, 4) };
}

export function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
