import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nanoid } from 'nanoid';
import { errnoCode } from './errors.js';
import type { ProcessIdentity } from './processInfo.js';

/**
 * The folder of a token lock (tokenLock.ts) and what is in it: `token` while
 * the lock is free, `held-<pid>.<start>.<nonce>` while a process holds it
 * (the same file, renamed). The name says who holds it, so a waiter judges a
 * dead holder from one listing, without reading a file; the nonce makes every
 * hold's name unique, so a takeover (a rename of that name back to `token`)
 * can only ever free the hold it judged.
 */
export const TOKEN = 'token';
const HELD_PREFIX = 'held-';

export function heldName(id: ProcessIdentity): string {
  // Dots apart: base64url and nanoid both use '-' and '_'.
  return `${HELD_PREFIX}${id.pid}.${Buffer.from(id.start).toString('base64url')}.${nanoid(8)}`;
}

/** The holder a `held-` name names; undefined for any other name. */
export function parseHeld(name: string): ProcessIdentity | undefined {
  const m = /^held-(\d+)\.([A-Za-z0-9_-]*)\.[A-Za-z0-9_-]+$/.exec(name);
  if (!m) return undefined;
  return { pid: Number(m[1]), start: Buffer.from(m[2] ?? '', 'base64url').toString() };
}

/**
 * When a hold's file was last taken or refreshed. A take is a rename, which
 * sets the file's ctime and leaves its mtime as the last hold left it: no
 * utimes at a take, and no event in the folder that every waiter wakes up to.
 */
export function refreshedAt(st: { mtimeMs: number; ctimeMs: number }): number {
  return Math.max(st.mtimeMs, st.ctimeMs);
}

/** What the folder shows a waiter that found no `token`. */
export type TokenDirState =
  | { kind: 'missing' }
  | { kind: 'held'; name: string; holder: ProcessIdentity }
  /**
   * A lock folder in the older format (mkdir lock, lockHolder.ts), or an empty one (being made, or left by a
   * kill): waited for by the older lock's rules (removeIfAbandoned), then made again.
   */
  | { kind: 'legacy' }
  | { kind: 'free' };

export function inspectTokenDir(lockDir: string): TokenDirState {
  let names: string[];
  try {
    names = readdirSync(lockDir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  if (names.includes(TOKEN)) return { kind: 'free' };
  for (const name of names) {
    const holder = parseHeld(name);
    if (holder) return { kind: 'held', name, holder };
  }
  return { kind: 'legacy' };
}

/**
 * Make the lock folder and its token. Only the process whose mkdir made the
 * folder writes the token (and with O_EXCL), so there is never a second one;
 * a process killed between the two leaves an empty folder, which a waiter
 * removes once it is stale (clearLegacy) and the next makes again. An
 * existing folder is never replaced: an empty one may be an older process's
 * lock between its mkdir and its holder file.
 */
export function makeTokenDir(lockDir: string): void {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  try {
    mkdirSync(lockDir);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return; // made by another process meanwhile
    throw err;
  }
  try {
    writeFileSync(path.join(lockDir, TOKEN), '', { flag: 'wx' });
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST' && errnoCode(err) !== 'ENOENT') throw err;
  }
}

/**
 * Free a hold whose process is dead: rename its file back to `token`. Only
 * one waiter's rename succeeds; the others find the name gone. True when this
 * caller freed it.
 */
export function freeHeld(lockDir: string, name: string): boolean {
  try {
    renameSync(path.join(lockDir, name), path.join(lockDir, TOKEN));
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}
