import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitError } from '../core/errors.js';
import { type Layout, layoutFor } from '../core/paths.js';
import { phraseCommands, tickfleetInvocation } from '../init/cliCommand.js';
import { resolveInitRoot } from '../init/root.js';

/**
 * The host project a command acts on: `-C <dir>`, else $TICKFLEET_PROJECT (set
 * for agents, whose cwd is a worktree), else the top of the git work tree
 * containing the cwd (the superproject when run inside tickfleet's own
 * submodule checkout), else the cwd.
 */
export function projectRoot(cmd: Command): string {
  return projectRootAt(cmd.optsWithGlobals().project as string | undefined);
}

/** projectRoot from the `-C` value itself (the tick's own entry parses its arguments without commander). */
export function projectRootAt(opt: string | undefined): string {
  if (opt) return resolveInitRoot(opt, true);
  if (process.env.TICKFLEET_PROJECT) return resolveInitRoot(process.env.TICKFLEET_PROJECT, true);
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // Not inside a git work tree: the cwd, which resolveInitRoot and the command then judge.
    top = process.cwd();
  }
  return resolveInitRoot(top, false);
}

export function projectLayout(cmd: Command): Layout {
  return layoutFor(projectRoot(cmd));
}

/** The layout of an initialised project, or a one-line error saying how to initialise it. */
export function initialisedLayout(cmd: Command): Layout {
  return initialisedLayoutAt(cmd.optsWithGlobals().project as string | undefined);
}

/** initialisedLayout from the `-C` value itself. */
export function initialisedLayoutAt(opt: string | undefined): Layout {
  const layout = layoutFor(projectRootAt(opt));
  if (!existsSync(layout.agentsYaml)) {
    throw new ExitError(
      phraseCommands(
        `${layout.agentsYaml} not found: run \`tickfleet init\` in ${layout.root} first`,
        tickfleetInvocation(layout.root).command,
      ),
    );
  }
  return layout;
}
