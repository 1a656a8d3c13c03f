import { spawn } from 'node:child_process';
import { closeSync, promises as fs, openSync } from 'node:fs';
import path from 'node:path';
import { localDay } from '../core/clock.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { processStartTime, UNKNOWN_START } from '../core/processInfo.js';
import type { CommandStarter } from '../gatekeeper/pass.js';

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
export const spawnRunner: Spawner = async (layout, spec) => {
  await fs.mkdir(layout.logs, { recursive: true });
  const logFile = path.join(layout.logs, `${spec.agent}-${localDay(new Date())}.log`);
  const fd = openSync(logFile, 'a');
  try {
    const args = [
      runnerScript(),
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
    const env = { ...process.env, ...(spec.token ? { TICKFLEET_LEASE_TOKEN: spec.token } : {}) };
    const child = spawn(process.execPath, args, { cwd: layout.root, detached: true, stdio: ['ignore', fd, fd], env });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    if (child.pid === undefined) throw new Error('the runner process has no pid');
    return { pid: child.pid };
  } finally {
    closeSync(fd);
  }
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
export const spawnCheck: CommandStarter = async (layout, spec) => {
  await fs.mkdir(layout.logs, { recursive: true });
  const fd = openSync(path.join(layout.logs, `gatekeeper-${localDay(new Date())}.log`), 'a');
  try {
    const args = [
      checkScript(),
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
    ];
    const child = spawn(process.execPath, args, { cwd: layout.root, detached: true, stdio: ['ignore', fd, fd] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    if (child.pid === undefined) throw new Error('the check process has no pid');
    return { pid: child.pid, start: (await processStartTime(child.pid)) ?? UNKNOWN_START };
  } finally {
    closeSync(fd);
  }
};
