#!/usr/bin/env node
import { endQuietlyWhenOutputCloses } from './cli/closedOutput.js';
import { queueStatusArgv, tickArgv } from './cli/tickArgv.js';

endQuietlyWhenOutputCloses();

// cron's every-minute tick goes straight to the tick's own program file, and queue-status (which
// scripts poll) to its own code; everything else (their --help included) loads the full CLI and its parser.
const tick = tickArgv(process.argv);
const queue = tick ? undefined : queueStatusArgv(process.argv);
const run: Promise<number> = tick
  ? import('./cli/tickCommand.js').then((m) => m.runTickProgram(tick))
  : queue
    ? import('./cli/queueStatusProgram.js').then((m) => m.runQueueStatusProgram(queue))
    : import('./cli/main.js').then((m) => m.runCli(process.argv));

// The only place that exits the process: library code throws, this decides the code.
run.then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `tickfleet: internal error (a bug, please report it): ${(err as Error)?.stack ?? String(err)}\n`,
    );
    process.exitCode = 70;
  },
);
