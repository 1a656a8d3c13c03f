import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { realOrResolved } from '../core/realPath.js';

/**
 * The project to initialise. Run from inside the submodule (`cd orchestrator`),
 * git's top level is tickfleet's own checkout, not the host project: use the
 * superproject instead. An explicit `-C` is taken as given.
 */
export function resolveInitRoot(candidate: string, explicit: boolean, pkgRoot = packageRoot()): string {
  const root = path.resolve(candidate);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // Missing or not readable: either way no folder to run in, and the message below says which path.
    isDir = false;
  }
  if (!isDir) throw new ExitError(`${root} is not a folder: pass the host project with -C <dir>`);
  if (explicit || !isSameOrInside(realOrResolved(pkgRoot), realOrResolved(root))) return root;
  const superproject = gitSuperproject(root);
  if (superproject) return superproject;
  throw new ExitError(
    `${root} is tickfleet's own package, not a project to run it on: run init from your project, or pass -C ${root} to initialise it anyway`,
  );
}

function gitSuperproject(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-superproject-working-tree'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    // Not inside a git work tree (or no git): then there is no superproject either.
    return undefined;
  }
}

function isSameOrInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
