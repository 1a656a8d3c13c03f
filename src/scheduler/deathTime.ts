import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunningRun } from '../agents/state.js';
import { ignoreMissing, isExitError } from '../core/errors.js';
import { agentDir, type Layout } from '../core/paths.js';
import { findTask } from '../tasks/list.js';

/**
 * When a runner that died without a word last showed life: the later of its
 * start, its transcript's last write (the runner writes it, so it stops when
 * the runner dies) and its task's last lease renewal. The tick that notices
 * may come much later; this is the better end time for the ledger.
 */
export async function lastSignOfLife(layout: Layout, agent: string, run: RunningRun): Promise<Date> {
  const times = [new Date(run.started_at).getTime()];
  const transcript = await fs
    .stat(path.join(agentDir(layout, agent), 'transcripts', `${run.run_id}.jsonl`))
    .catch(ignoreMissing);
  if (transcript) times.push(transcript.mtimeMs);
  if (run.task_id) {
    // A task gone or unreadable (an ExitError) shows no renewal; anything else is a real failure.
    const task = await findTask(layout, run.task_id).catch((err: unknown) => {
      if (!isExitError(err)) throw err;
      return undefined;
    });
    const renewed = task?.lease?.token === run.token ? task?.lease?.renewed_at : undefined;
    if (renewed) times.push(new Date(renewed).getTime());
  }
  return new Date(Math.max(...times.filter(Number.isFinite)));
}
