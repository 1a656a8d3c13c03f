import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isoSeconds } from '../core/clock.js';
import { runTestCommand } from '../review/testCommand.js';
import type { QueueContext } from './context.js';
import { scratchAt } from './scratch.js';
import { updateQueueState } from './state.js';

export interface TestVerdict {
  green: boolean;
  /** How it ended, for a reason line: `exited 1`, `timed out after 30 min`. */
  how: string;
  log: string;
  /** The log's last lines, carried by a culprit's fix task. */
  tail: string;
}

const TAIL_LINES = 40;

/**
 * Run `review.test_command` once on `commit` in the scratch worktree. Its
 * process group is written into the batch before it runs, so a batch killed
 * meanwhile leaves a group its recovery can end; the run is counted. Without
 * a test command every commit is green.
 */
export async function testAt(
  ctx: QueueContext,
  scratch: string,
  commit: string,
  label: string,
  batchId: string,
): Promise<TestVerdict> {
  const command = ctx.config.review.test_command;
  const log = path.join(ctx.layout.logs, 'merge', `${batchId}-${label}.log`);
  if (!command) return { green: true, how: 'no test command', log, tail: '' };
  await scratchAt(scratch, commit);
  await updateQueueState(ctx.layout, (s) => {
    if (s.in_flight) s.in_flight.test_runs += 1;
  });
  const timeoutMs = ctx.config.merge_queue.test_timeout_minutes * 60_000;
  const run = await runTestCommand({
    cwd: scratch,
    command,
    timeoutMs,
    log,
    onStart: (pgid) =>
      updateQueueState(ctx.layout, (s) => {
        if (s.in_flight) s.in_flight.test = { pgid, commit, started_at: isoSeconds(ctx.clock.now()) };
      }).then(() => undefined),
  });
  await updateQueueState(ctx.layout, (s) => {
    if (s.in_flight) delete s.in_flight.test;
  });
  const how = run.timedOut
    ? `timed out after ${ctx.config.merge_queue.test_timeout_minutes} min`
    : `exited ${run.code ?? run.signal}`;
  ctx.log(`merge queue: \`${command}\` at ${commit.slice(0, 12)} (${label}): ${run.ok ? 'green' : `red, ${how}`}`);
  return { green: run.ok, how, log, tail: await tail(log) };
}

async function tail(file: string): Promise<string> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
}
