import { spawn } from 'node:child_process';
import { closeSync, promises as fs, openSync } from 'node:fs';
import path from 'node:path';
import { localDay } from '../core/clock.js';
import { type ProcessIdentity, processStartTime, UNKNOWN_START } from '../core/processInfo.js';

export interface DetachedNode {
  /** The node script and its arguments. */
  script: string;
  args: readonly string[];
  cwd: string;
  /** The logs folder; output is appended to `<logName>-YYYY-MM-DD.log` there. */
  logs: string;
  logName: string;
  /** What it is, for the error when it does not start ("the runner process"). */
  what: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Start a node script detached, in a session of its own, its output appended
 * to the day's log: the tick that starts it exits at once and the process
 * outlives it (a runner, a command check, a command task, the merge queue).
 * Spawned directly, not through `run.ts`, for that reason. The pid and its
 * start time let a later tick tell the process from a reused pid.
 */
export async function spawnDetachedNode(spec: DetachedNode): Promise<ProcessIdentity> {
  await fs.mkdir(spec.logs, { recursive: true });
  const fd = openSync(path.join(spec.logs, `${spec.logName}-${localDay(new Date())}.log`), 'a');
  try {
    const child = spawn(process.execPath, [spec.script, ...spec.args], {
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env ?? process.env,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.what} has no pid`);
    return { pid: child.pid, start: (await processStartTime(child.pid)) ?? UNKNOWN_START };
  } finally {
    closeSync(fd);
  }
}
