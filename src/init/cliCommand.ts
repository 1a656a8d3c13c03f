import path from 'node:path';
import { cliScript, packageRoot } from '../core/paths.js';
import { realOrResolved } from '../core/realPath.js';
import { which } from '../core/which.js';
import { shellQuote } from '../process/shellQuote.js';

export { cliScript };

/** Where the package sits: in the project (a submodule or vendored folder), in its node_modules, or elsewhere (a global install). */
export type InstallKind = 'submodule' | 'npm' | 'outside';

export interface Invocation {
  /** What comes before a subcommand, run from the project root: `node orchestrator/dist/bundle/cli.js`, `npx tickfleet` or `tickfleet`. */
  command: string;
  kind: InstallKind;
}

export interface InvocationOptions {
  /**
   * For files a team commits (slash commands): nothing of this machine, so no
   * absolute path and no reliance on this PATH, except that a package outside
   * the project can only be reached as `tickfleet` on PATH.
   */
  shared?: boolean;
  pkgRoot?: string;
  /** Where to look for a `tickfleet` that is this package; default $PATH. */
  searchPath?: string | undefined;
}

/**
 * How to run tickfleet in the project at `root`: the one answer every printed
 * fix and every installed slash command uses. A `tickfleet` on PATH that is
 * this very package wins for a person (except in an npm install); else a submodule is run by its path
 * relative to the project root, an npm install through npx, and a package
 * elsewhere by its absolute path (or, in shared files, as `tickfleet`).
 */
export function tickfleetInvocation(root: string, options: InvocationOptions = {}): Invocation {
  const pkgRoot = realOrResolved(options.pkgRoot ?? packageRoot());
  const rel = path.relative(realOrResolved(root), pkgRoot);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const kind: InstallKind = !inside ? 'outside' : rel.split(path.sep).includes('node_modules') ? 'npm' : 'submodule';
  // npx puts node_modules/.bin on PATH for the command it runs, not for the person's shell: an npm install is always `npx tickfleet`.
  if (
    !options.shared &&
    kind !== 'npm' &&
    tickfleetOnPathIs(pkgRoot, 'searchPath' in options ? options.searchPath : process.env.PATH)
  )
    return { command: 'tickfleet', kind };
  if (kind === 'npm') return { command: 'npx tickfleet', kind };
  if (kind === 'submodule')
    return {
      command: `node ${shellQuote(path.join(rel, 'dist', 'bundle', 'cli.js').split(path.sep).join('/'))}`,
      kind,
    };
  return { command: options.shared ? 'tickfleet' : `node ${shellQuote(cliScript(pkgRoot))}`, kind };
}

/** True when `tickfleet` on `searchPath` runs the CLI of the package at `pkgRoot` (an npm global install, or a link a person made). */
export function tickfleetOnPathIs(pkgRoot: string, searchPath: string | undefined): boolean {
  const found = which('tickfleet', searchPath);
  return found !== undefined && realOrResolved(found) === realOrResolved(cliScript(pkgRoot));
}

/**
 * Library messages name commands as `` `tickfleet <subcommand>` ``; a person
 * reads them as tickfleet is run in their project.
 */
export function phraseCommands(text: string, command: string): string {
  return command === 'tickfleet' ? text : text.split('`tickfleet ').join(`\`${command} `);
}
