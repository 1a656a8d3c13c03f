import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
      // Read on the calling thread: /proc answers from memory, and the promise API would cost four
      // trips through the thread pool, each waking this process (a queue lock's waiters ask this often).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 2 (comm) may contain spaces and parens: split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // rest[0] is field 3 (state); starttime is field 22 -> rest[19].
      if (rest[0] === 'Z') return undefined; // a zombie has finished its work
      return rest[19];
    } catch {
      return undefined; // no /proc/<pid>: the process is gone
    }
  }
  try {
    const { stdout } = await execFileP('ps', ['-o', 'lstart=', '-p', String(pid)]);
    const start = stdout.trim();
    return start === '' ? undefined : start;
  } catch {
    return undefined; // ps exits 1 for a pid it does not find: the process is gone
  }
}

/** The start token recorded when a process's start time could not be read. */
export const UNKNOWN_START = 'unknown';

export async function currentProcessIdentity(): Promise<ProcessIdentity> {
  const start = await processStartTime(process.pid);
  return { pid: process.pid, start: start ?? UNKNOWN_START };
}

/** True when the process that `id` names is still running (same pid, same start). */
export async function isProcessAlive(id: ProcessIdentity): Promise<boolean> {
  const start = await processStartTime(id.pid);
  if (start === undefined) return false;
  return id.start === UNKNOWN_START || start === id.start;
}

/**
 * Without its start time a recorded pid cannot be told from a later process
 * that reused the number, so the pid alone is believed only until
 * `trustUntil` (the end of a lease, the end of the time a run can last). True
 * when `id` has no start time and that moment has passed: it counts as dead,
 * whatever holds the pid now.
 */
export function unknownStartExpired(id: ProcessIdentity, now: Date, trustUntil: Date): boolean {
  return id.start === UNKNOWN_START && !(now.getTime() < trustUntil.getTime());
}
