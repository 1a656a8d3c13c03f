import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * A path in the form git prints it: symlinks resolved (macOS /tmp is
 * /private/tmp), even for a path that no longer exists (its nearest existing
 * ancestor is resolved), so a missing worktree still compares equal.
 */
export function canonicalPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    // Missing (or not resolvable): the nearest ancestor that resolves, with the rest appended.
    const parent = path.dirname(abs);
    if (parent === abs) return abs;
    return path.join(canonicalPath(parent), path.basename(abs));
  }
}

export function samePath(a: string, b: string): boolean {
  return canonicalPath(a) === canonicalPath(b);
}

/** True when `child` is `dir` itself or inside it. */
export function isInside(child: string, dir: string): boolean {
  const rel = path.relative(canonicalPath(dir), canonicalPath(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
