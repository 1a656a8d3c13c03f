#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { isoSeconds } from '../core/clock.js';
import { isKnownError } from '../core/errors.js';
import { layoutFor } from '../core/paths.js';
import { runCommandTask } from './commandTask.js';

/**
 * The detached process a tick starts for one command task, so a long command
 * never holds up the tick. Its output goes to the tickfleet log; the task's
 * own output goes to its file and log (commandTask.ts). The lease token comes
 * in the environment, not argv. A killed process leaves its task claimed
 * with a dead pid in the lease: reconcile requeues it.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { project: { type: 'string' }, task: { type: 'string' } } });
  const token = process.env.TICKFLEET_LEASE_TOKEN;
  delete process.env.TICKFLEET_LEASE_TOKEN; // never handed on to the command
  if (!values.project || !values.task || !token) {
    process.stderr.write('usage: TICKFLEET_LEASE_TOKEN=<token> commandMain --project <dir> --task <TASK-id>\n');
    return 2;
  }
  const log = (line: string) => process.stdout.write(`${isoSeconds(new Date())} [command] ${line}\n`);
  const layout = layoutFor(values.project);
  const { config } = await loadConfig(layout);
  const ended = await runCommandTask(layout, config, values.task, token, { log });
  const where = ended.outcome === 'lost' ? '' : ` → ${ended.task.state}`;
  log(`${values.task} ${ended.outcome}${where}: ${ended.summary}`);
  return ended.outcome === 'done' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = isKnownError(err) ? err.message : ((err as Error)?.stack ?? String(err));
    process.stderr.write(`${isoSeconds(new Date())} [command] failed before recording a result: ${message}\n`);
    process.exitCode = isKnownError(err) ? err.exitCode : 70;
  },
);
