import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { withoutRepoEnv } from '../git/run.js';

export interface TestRun {
  ok: boolean;
  /** Exit code, or null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  log: string;
}

const KILL_GRACE_MS = 5_000;

/**
 * Run the project's test command (`sh -c`) in `cwd`, stdout and stderr into
 * `log`. Its own process group, so a timeout kills everything it started.
 * CI=1 keeps test runners out of watch mode.
 */
export async function runTestCommand(options: { cwd: string; command: string; timeoutMs: number; log: string }): Promise<TestRun> {
  await fs.mkdir(path.dirname(options.log), { recursive: true });
  const out = await fs.open(options.log, 'a');
  const started = Date.now();
  try {
    await out.write(`$ ${options.command}\n# in ${options.cwd}\n`);
    const env = { CI: '1', ...withoutRepoEnv() };
    const child = spawn('sh', ['-c', options.command], { cwd: options.cwd, env, detached: true, stdio: ['ignore', out.fd, out.fd] });
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      grace = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, s) => resolve([c, s]));
    }).finally(() => {
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
    });
    // Whatever the command left running in the background must not outlive the merge.
    killGroup('SIGKILL');
    const run = { ok: code === 0 && !timedOut, code, signal, timedOut, durationMs: Date.now() - started, log: options.log };
    await out.write(`\n# exit ${code ?? signal}${timedOut ? ` (timed out after ${options.timeoutMs} ms)` : ''} in ${run.durationMs} ms\n`);
    return run;
  } finally {
    await out.close();
  }
}
