import { renameSync, rmSync, type Stats, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The signs the queue index trusts a folder or a file by. A folder's stamp
 * is its inode and mtime in nanoseconds: every entry added, removed or
 * renamed changes the mtime. A file's key is its inode, size, mtime and
 * ctime: a replacement (new inode) or an edit in place (new size or times)
 * changes it. Why a stamp that looks the same means nothing changed is in
 * docs/internals.md ("The queue index").
 */

/** A folder's stamp, `-` when it does not exist. */
export function folderStamp(dir: string): string {
  const st = statSync(dir, { bigint: true, throwIfNoEntry: false });
  return st ? `${st.ino}:${st.mtimeNs}` : '-';
}

/** The stamp's mtime in ms (0 for a missing folder). */
export function stampMs(stamp: string): number {
  const ns = stamp.split(':')[1];
  return ns ? Number(BigInt(ns) / 1_000_000n) : 0;
}

/** Inode and size in base 36, mtime, and ctime left empty when it equals mtime: 10,000 keys are a third of the index. */
export function fileKey(st: Stats): string {
  return `${st.ino.toString(36)}:${st.size.toString(36)}:${st.mtimeMs}:${st.ctimeMs === st.mtimeMs ? '' : st.ctimeMs}`;
}

/** The later of the key's mtime and ctime. */
export function keyMs(key: string): number {
  const [, , m, c] = key.split(':');
  return Math.max(Number(m), c ? Number(c) : 0);
}

/**
 * Without fine timestamps, a stamp or key taken within this long of the
 * change it records may hide a second change in the same clock tick (one
 * second on some filesystems, a kernel tick on others): it is racy and
 * checked again rather than trusted.
 */
export const RACY_MS = 2_000;

/**
 * Whether this folder's filesystem gives a change that follows a stat of the
 * folder a strictly later mtime (Linux's multigrain timestamps, 6.13 and
 * later, on ext4, xfs, btrfs and tmpfs). Probed by renaming a dot-file
 * (never listed as a task) back and forth with a stat between: with a
 * coarse clock, changes microseconds apart share a stamp.
 */
export function fineStamps(dir: string): boolean {
  const a = path.join(dir, `.stamp-probe-${process.pid}-a`);
  const b = path.join(dir, `.stamp-probe-${process.pid}-b`);
  try {
    writeFileSync(a, '');
    let last = folderStamp(dir);
    for (let i = 0; i < 8; i++) {
      if (i % 2 === 0) renameSync(a, b);
      else renameSync(b, a);
      const next = folderStamp(dir);
      if (BigInt(next.split(':')[1] ?? 0) <= BigInt(last.split(':')[1] ?? 0)) return false;
      last = next;
    }
    return true;
  } catch {
    // A folder we cannot write to probe: assume the coarse clock, which is only slower.
    return false;
  } finally {
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  }
}
