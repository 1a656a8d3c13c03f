#!/usr/bin/env node
import { endQuietlyWhenOutputCloses } from './cli/closedOutput.js';
import { runCli } from './cli/main.js';

endQuietlyWhenOutputCloses();

// The only place that exits the process: library code throws, this decides the code.
runCli(process.argv).then(
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
