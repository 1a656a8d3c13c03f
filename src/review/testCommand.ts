import { promises as fs } from 'node:fs';
import path from 'node:path';
import { withoutRepoEnv } from '../process/env.js';
import { runProcess } from '../process/run.js';

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
export async function runTestCommand(options: {
  cwd: string;
  command: string;
  timeoutMs: number;
  log: string;
  /** The test command's process group, once started (see runProcess `onStart`). */
  onStart?: (pgid: number) => void | Promise<void>;
}): Promise<TestRun> {
  await fs.mkdir(path.dirname(options.log), { recursive: true });
  const out = await fs.open(options.log, 'a');
  const started = Date.now();
  try {
    await out.write(`$ ${options.command}\n# in ${options.cwd}\n`);
    const env = { CI: '1', ...withoutRepoEnv() };
    const ran = await runProcess('sh', ['-c', options.command], {
      cwd: options.cwd,
      env,
      group: true,
      outputFd: out.fd,
      timeoutMs: options.timeoutMs,
      killGraceMs: KILL_GRACE_MS,
      ...(options.onStart ? { onStart: options.onStart } : {}),
    });
    if (ran.spawnError) throw ran.spawnError;
    const { exitCode: code, signal, timedOut } = ran;
    const run = {
      ok: code === 0 && !timedOut,
      code,
      signal,
      timedOut,
      durationMs: Date.now() - started,
      log: options.log,
    };
    await out.write(
      `\n# exit ${code ?? signal}${timedOut ? ` (timed out after ${options.timeoutMs} ms)` : ''} in ${run.durationMs} ms\n`,
    );
    return run;
  } finally {
    await out.close();
  }
}
