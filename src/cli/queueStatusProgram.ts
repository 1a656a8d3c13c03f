import { isKnownError } from '../core/errors.js';
import { printError } from './output.js';
import { initialisedLayoutAt } from './project.js';
import { runQueueStatus } from './queueStatusOutput.js';
import type { QueueStatusArgv } from './tickArgv.js';

/**
 * The whole of `tickfleet queue-status` when src/cli.ts recognised its
 * arguments (cli/tickArgv.ts): the same output, errors and exit codes as
 * the CLI's command, without loading the CLI's parser and every command
 * (about 50 ms of a 10,000-task queue-status's ~110 ms above a bare node).
 * The bundle makes this a program file of its own (scripts/bundle.mjs), with
 * its own copies of the error classes: the CLI's command therefore uses
 * queueStatusOutput.ts, not this file.
 */
export async function runQueueStatusProgram(args: QueueStatusArgv): Promise<number> {
  try {
    await runQueueStatus(initialisedLayoutAt(args.project), args.json);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (!isKnownError(err)) throw err;
    printError(err.message, err.details);
    return err.exitCode;
  }
}
