#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isoSeconds } from '../core/clock.js';
import { isKnownError } from '../core/errors.js';
import { layoutFor } from '../core/paths.js';
import { runAgent } from './runAgent.js';

/**
 * The detached runner process a tick starts for one agent run. Its stdout and
 * stderr go to the agent's log file. The lease token comes in the
 * environment (TICKFLEET_LEASE_TOKEN), not argv, so `ps` does not show it.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      agent: { type: 'string' },
      'run-id': { type: 'string' },
      task: { type: 'string' },
      budget: { type: 'string' },
    },
  });
  if (!values.project || !values.agent || !values['run-id']) {
    process.stderr.write(
      'usage: runner --project <dir> --agent <name> --run-id <id> [--task <TASK-id>] [--budget <usd>]\n',
    );
    return 2;
  }
  const log = (line: string) => process.stdout.write(`${isoSeconds(new Date())} [${values.agent}] ${line}\n`);
  const budget = values.budget === undefined ? undefined : Number(values.budget);
  const token = process.env.TICKFLEET_LEASE_TOKEN;
  delete process.env.TICKFLEET_LEASE_TOKEN; // never handed on to the client
  const summary = await runAgent({
    layout: layoutFor(values.project),
    agent: values.agent,
    runId: values['run-id'],
    ...(values.task ? { taskId: values.task } : {}),
    ...(token ? { token } : {}),
    ...(budget !== undefined && Number.isFinite(budget) ? { runBudgetUsd: budget } : {}),
    log,
  });
  log(
    `run ${values['run-id']} ended: ${summary.ledger.outcome} ($${summary.ledger.cost_usd.toFixed(4)}, ${summary.ledger.turns} turns)`,
  );
  return summary.ledger.outcome === 'success' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = isKnownError(err) ? err.message : ((err as Error)?.stack ?? String(err));
    process.stderr.write(`${isoSeconds(new Date())} runner failed before it could record the run: ${message}\n`);
    process.exitCode = isKnownError(err) ? err.exitCode : 70;
  },
);
