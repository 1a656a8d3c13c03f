import { promises as fs } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode } from '../core/errors.js';

/**
 * A process started with `detached: true` (the client, a test command) leads
 * its own process group (pgid = its pid), and everything it starts (shells,
 * test runners, dev servers) stays in that group unless it deliberately
 * leaves. Signalling `-pgid` reaches all of them at once.
 */

/** Send a signal to the whole group; false when nothing is left to signal. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
    throw err;
  }
}

/**
 * Live members of the group. On Linux this reads /proc and leaves zombies
 * out (they have finished; only their parent's wait is missing); elsewhere it
 * can only tell whether the group exists.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  if (process.platform !== 'linux') return signalGroup(pgid, 0);
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return signalGroup(pgid, 0);
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await fs.readFile(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Field 2 (comm) may hold spaces and parens: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3), rest[2] = pgrp (field 5).
    if (rest[2] === String(pgid) && rest[0] !== 'Z' && rest[0] !== 'X') return true;
  }
  return false;
}

/**
 * Wait until the group has no live member, or `ms` have passed. There is no
 * event for "a process that is not my child exited", so this polls.
 */
export async function waitGroupGone(pgid: number, ms: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!(await groupAlive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await delay(pollMs);
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs` if anything is left. Returns whether SIGKILL was needed. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<boolean> {
  if (!signalGroup(pgid, 'SIGTERM')) return false;
  if (await waitGroupGone(pgid, graceMs)) return false;
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 2_000);
  return true;
}
