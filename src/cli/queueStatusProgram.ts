import { isKnownError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { TASK_STATES } from '../core/paths.js';
import { lifecycleLine } from '../tasks/lifecycle.js';
import { queueStatus } from '../tasks/queueCounts.js';
import { dim, print, printError, printJson, table, yellow } from './output.js';
import { initialisedLayoutAt } from './project.js';
import type { QueueStatusArgv } from './tickArgv.js';

/** What `tickfleet queue-status [--json]` prints, by either path (the CLI's command or the program below). */
export async function runQueueStatus(layout: Layout, json: boolean): Promise<void> {
  const status = await queueStatus(layout);
  if (json) return printJson(status);
  const roles = Object.keys(status.byRole).sort();
  const rows = [['role', ...TASK_STATES]];
  for (const role of roles) rows.push([role, ...TASK_STATES.map((s) => String(status.byStateAndRole[s][role] ?? 0))]);
  rows.push(['total', ...TASK_STATES.map((s) => String(status.counts[s]))]);
  print(table(rows));
  if (roles.length > 0) print(`lifecycle: ${lifecycleLine(status.byLifecycle)}`);
  if (status.quarantined > 0)
    print(yellow(`${status.quarantined} file(s) in quarantine/ (each with a .reason file beside it)`));
  for (const u of status.unreadable) print(yellow(`unreadable: ${u.file}: ${u.reason}`));
  for (const p of status.dependencyProblems) print(yellow(`blocked_by: ${p.message}`));
  if (roles.length === 0) print(dim('the queue is empty: add work with `tickfleet enqueue`'));
}

/**
 * The whole of `tickfleet queue-status` when src/cli.ts recognised its
 * arguments (cli/tickArgv.ts): the same output, errors and exit codes as
 * the CLI's command, without loading the CLI's parser and every command
 * (about 50 ms of a 10,000-task queue-status's ~110 ms above a bare node).
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
