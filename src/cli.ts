#!/usr/bin/env node
import { endQuietlyWhenOutputCloses } from './cli/closedOutput.js';
import { tickArgv } from './cli/tickArgv.js';

endQuietlyWhenOutputCloses();

// cron's every-minute tick goes straight to the tick's own program file; everything else
// (the tick's --help included) loads the full CLI and its command parser.
const tick = tickArgv(process.argv);
const run: Promise<number> = tick
  ? import('./cli/tickCommand.js').then((m) => m.runTickProgram(tick))
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
