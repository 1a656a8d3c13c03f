import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * `p` with symlinks resolved, for comparing paths: a project reached through
 * a symlink (macOS /tmp) is still the same project. A path that cannot be
 * resolved (missing, or not readable) is compared as written; the comparison
 * is still an answer, and whoever uses the folder reports why it cannot.
 */
export function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
