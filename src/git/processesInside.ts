import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../process/run.js';
import { canonicalPath, isInside } from './paths.js';

/**
 * Processes whose working directory is `dir` or inside it: a worktree with
 * such a process is still someone's workplace (an orphaned client, its shell,
 * a dev server), and removing or reusing it would hand that process a folder
 * git no longer knows. Returns undefined when this cannot be told (no /proc
 * and no lsof): the caller must then keep the folder.
 */
export async function processesInside(dir: string): Promise<number[] | undefined> {
  const target = canonicalPath(dir);
  if (process.platform === 'linux') {
    const viaProc = await scanProc(target);
    if (viaProc) return viaProc;
  }
  return scanLsof(target);
}

async function scanProc(target: string): Promise<number[] | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return undefined; // no /proc here: lsof is asked instead
  }
  const found: number[] = [];
  let readable = 0;
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let cwd: string;
    try {
      cwd = await fs.readlink(`/proc/${name}/cwd`);
    } catch {
      continue; // exited while we looked, a kernel thread, or another user's process
    }
    readable++;
    // A folder deleted under a process reads as "<path> (deleted)": it is still inside.
    const clean = cwd.endsWith(' (deleted)') ? cwd.slice(0, -' (deleted)'.length) : cwd;
    if (Number(name) !== process.pid && isInside(clean, target)) found.push(Number(name));
  }
  // Not even our own cwd was readable: /proc tells nothing here.
  return readable > 0 ? found : undefined;
}

async function scanLsof(target: string): Promise<number[] | undefined> {
  const { exitCode, stdout } = await runProcess('lsof', ['-n', '-d', 'cwd', '-F', 'pn']);
  if (exitCode === 0) return scanLsofOutput(stdout, target);
  // lsof exits 1 when some processes could not be read but still prints the rest.
  if (stdout.includes('\np')) return scanLsofOutput(stdout, target);
  return undefined;
}

function scanLsofOutput(stdout: string, target: string): number[] {
  const found: number[] = [];
  let pid = 0;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    else if (
      line.startsWith('n') &&
      path.isAbsolute(line.slice(1)) &&
      pid !== process.pid &&
      isInside(line.slice(1), target)
    )
      found.push(pid);
  }
  return found;
}

/** Why `dir` must be left alone (a process works in it, or nobody can tell), or undefined when it is free. */
export async function busyReason(dir: string): Promise<string | undefined> {
  const pids = await processesInside(dir);
  if (pids === undefined) return `cannot tell whether a process works in ${dir} (no /proc, no lsof)`;
  if (pids.length > 0) return `${dir} is in use by pid ${pids.slice(0, 5).join(', ')}`;
  return undefined;
}
