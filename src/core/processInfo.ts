import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/**
 * A process is identified by its pid *and* its start time: pids are reused,
 * and a lease or a state file naming a pid must not be kept alive by an
 * unrelated process that happens to get the same number later.
 */
export interface ProcessIdentity {
  pid: number;
  /** Opaque start-time token; compare for equality only. */
  start: string;
}

/** The start-time token of a live process, or undefined when there is none. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
      // Field 2 (comm) may contain spaces and parens: split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // rest[0] is field 3 (state); starttime is field 22 -> rest[19].
      if (rest[0] === 'Z') return undefined; // a zombie has finished its work
      return rest[19];
    } catch {
      return undefined;
    }
  }
  try {
    const { stdout } = await execFileP('ps', ['-o', 'lstart=', '-p', String(pid)]);
    const start = stdout.trim();
    return start === '' ? undefined : start;
  } catch {
    return undefined;
  }
}

export async function currentProcessIdentity(): Promise<ProcessIdentity> {
  const start = await processStartTime(process.pid);
  return { pid: process.pid, start: start ?? 'unknown' };
}

/** True when the process that `id` names is still running (same pid, same start). */
export async function isProcessAlive(id: ProcessIdentity): Promise<boolean> {
  const start = await processStartTime(id.pid);
  if (start === undefined) return false;
  return id.start === 'unknown' || start === id.start;
}
