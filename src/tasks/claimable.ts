import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { fileOf, listFileNames, QueueFileError, readHeadSync, readTextSync } from '../core/queueFolder.js';
import { doneBlockers } from './blockers.js';
import { taskQueue } from './folders.js';
import { parseTask } from './format.js';
import { claimability, noClaimableReason } from './order.js';
import { pick, summarizeTask, type TaskSummary } from './scan.js';

export interface ClaimableSummary {
  incoming: number;
  claimed: number;
  /** Tasks claimable now, per task role (capped by `wanted`). */
  claimable: Record<string, number>;
  /** Per wanted role with none claimable: why (none in incoming, blocked, backing off). */
  waiting: Record<string, string>;
}

export interface ClaimableOptions {
  clock?: Clock;
  /**
   * The roles a planner could start agents for, and how many such agents
   * each has. Counting stops once every wanted role has that many claimable
   * tasks, so a tick over a long queue reads a handful of files, not all of
   * them; with no wanted role nothing is read but the folder listings.
   */
  wanted: Record<string, number>;
}

const HEAD_BYTES = 4096;

/**
 * What a planner needs to decide which agents have work, without taking the
 * lock or moving anything (unreadable files are left for the claim or the
 * listing to quarantine).
 */
export function claimableSummary(layout: Layout, options: ClaimableOptions): ClaimableSummary {
  const q = taskQueue(layout);
  const now = (options.clock ?? systemClock).now();
  // Counting needs no sorted ids: most ticks have nothing due and stop here.
  const incoming = listFileNames(q.dir('incoming'));
  const out: ClaimableSummary = {
    incoming: incoming.length,
    claimed: listFileNames(q.dir('claimed')).length,
    claimable: {},
    waiting: {},
  };
  const wanted = Object.entries(options.wanted).filter(([, n]) => n > 0);
  if (wanted.length === 0) return out;
  const ids = incoming.map((name) => name.slice(0, -3)).sort();
  for (const [role] of wanted) out.claimable[role] = 0;

  const done = doneBlockers(q);
  const seen: TaskSummary[] = [];
  const unmet = new Set(wanted.map(([role]) => role));
  const buffer = Buffer.allocUnsafe(HEAD_BYTES);
  for (const id of ids) {
    if (unmet.size === 0) break;
    const summary = readSummary(fileOf(q, 'incoming', id), id, buffer);
    if (!summary || !(summary.role in out.claimable)) continue;
    seen.push(summary);
    if (!claimability(summary, done, now).claimable) continue;
    const count = ++out.claimable[summary.role]!;
    if (count >= (options.wanted[summary.role] ?? 0)) unmet.delete(summary.role);
  }
  for (const [role] of wanted) {
    if (out.claimable[role] === 0) out.waiting[role] = noClaimableReason(role, seen, done, now);
  }
  return out;
}

/** The fast reader over the file's head; the whole file and the full parser only when it is unsure. */
function readSummary(file: string, id: string, buffer: Buffer): TaskSummary | undefined {
  const head = readHeadSync(file, buffer);
  if (!head) return undefined; // claimed or moved since the listing
  const quick = summarizeTask(
    head.whole ? head.text : head.text.slice(0, head.text.lastIndexOf('\n') + 1),
    id,
    !head.whole,
  );
  if (quick) return quick;
  const text = readTextSync(file);
  if (text === undefined) return undefined;
  try {
    return summarizeTask(text, id) ?? pick(parseTask(text, file, 'incoming'));
  } catch (err) {
    if (err instanceof QueueFileError) return undefined;
    throw err;
  }
}
