import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';

/**
 * The version in the package.json of the package this CLI runs from: the
 * same file whether it is the bundle, a submodule checkout or an npm install
 * (npm always ships package.json).
 */
export function packageVersion(pkgRoot = packageRoot()): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown (package.json names no version)';
  } catch {
    return `unknown (${path.join(pkgRoot, 'package.json')} is unreadable)`;
  }
}
