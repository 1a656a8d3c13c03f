import path from 'node:path';
import { type Layout, packageRoot } from '../core/paths.js';
import type { CommandStarter } from '../gatekeeper/pass.js';
import { spawnDetachedNode } from '../process/detached.js';

export interface RunnerSpec {
  agent: string;
  runId: string;
  taskId?: string;
  token?: string;
  budgetUsd: number;
}

/** Starts a runner; injected so tests and benchmarks can stand in for it. */
export type Spawner = (layout: Layout, spec: RunnerSpec) => Promise<{ pid: number }>;

export function runnerScript(): string {
  // The bundle (scripts/bundle.mjs): an agent run starts ~100 ms sooner than from dist/runner/main.js.
  return path.join(packageRoot(), 'dist', 'bundle', 'runner.js');
}

/**
 * Start the runner detached, in a session of its own, with its output
 * appended to the agent's log: the tick exits at once and the run outlives it.
 * (Under systemd the service needs KillMode=process for the same reason: see
 * setup/systemd.service.tmpl.)
 */
export const spawnRunner: Spawner = (layout, spec) => {
  const args = [
    '--project',
    layout.root,
    '--agent',
    spec.agent,
    '--run-id',
    spec.runId,
    '--budget',
    String(spec.budgetUsd),
  ];
  if (spec.taskId) args.push('--task', spec.taskId);
  return spawnDetachedNode({
    script: runnerScript(),
    args,
    cwd: layout.root,
    logs: layout.logs,
    logName: spec.agent,
    what: 'the runner process',
    env: { ...process.env, ...(spec.token ? { TICKFLEET_LEASE_TOKEN: spec.token } : {}) },
  });
};

export function checkScript(): string {
  return path.join(packageRoot(), 'dist', 'gatekeeper', 'checkMain.js');
}

/**
 * Start one command check detached, like the runner: a test suite that runs
 * for minutes never holds up the tick. Its output is appended to the
 * gatekeeper's log; its pid and start time are recorded by the caller, so a
 * check killed on the way is noticed and run again.
 */
export const spawnCheck: CommandStarter = (layout, spec) =>
  spawnDetachedNode({
    script: checkScript(),
    args: [
      '--project',
      layout.root,
      '--subject',
      spec.subject,
      '--branch',
      spec.branch,
      '--head',
      spec.head,
      '--check',
      spec.check,
      ...(spec.required ? ['--required'] : []),
    ],
    cwd: layout.root,
    logs: layout.logs,
    logName: 'gatekeeper',
    what: 'the check process',
  });
