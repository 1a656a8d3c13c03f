#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isoSeconds } from '../core/clock.js';
import { LockBusyError } from '../core/lock.js';
import { layoutFor } from '../core/paths.js';
import { drainQueue } from './drain.js';

/**
 * The detached process a tick starts to run the merge queue, so a long test
 * run never holds up the tick. It holds the merge-queue lock while it works
 * (the lock's holder file is its lease: a tick finds it dead once it is
 * killed); a batch it leaves in flight is recovered by the next tick.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { project: { type: 'string' } } });
  if (!values.project) {
    process.stderr.write('usage: batchMain --project <dir>\n');
    return 2;
  }
  const say = (line: string) => process.stdout.write(`${isoSeconds(new Date())} [merge-queue] ${line}\n`);
  try {
    // A tick started it a moment ago: a queue run holding the lock ends soon, or is doing this work itself.
    await drainQueue(layoutFor(values.project), { log: say, waitMs: 30_000 });
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    say('another queue run holds the lock; it takes the waiting branches, or the next tick starts one');
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${isoSeconds(new Date())} [merge-queue] stopped: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 70;
  },
);
