import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { shellQuote } from '../process/shellQuote.js';
import type { InitItem } from './actions.js';
import { ensureAgentsYaml } from './agentsYaml.js';
import type { InitChoices } from './choices.js';
import { ensureClaudeMd } from './claudeMd.js';
import { cliScript, type Invocation, tickfleetInvocation, tickfleetOnPathIs } from './cliCommand.js';
import { ensureGitignore } from './gitignore.js';
import { installSlashCommands } from './slashCommands.js';
import { ensureFolders } from './tree.js';

export interface InitOptions extends InitChoices {
  /** The command installed slash commands run; default tickfleetInvocation's shared answer (`node orchestrator/dist/bundle/cli.js`, `npx tickfleet`, `tickfleet`). */
  cliCommand?: string;
  /** Where to look for a `tickfleet` command; default $PATH. */
  searchPath?: string | undefined;
}

export interface InitResult {
  root: string;
  /** What the installed slash commands run. */
  cliCommand: string;
  /** How a person runs tickfleet in this project, from its root. */
  invocation: string;
  /** When `invocation` is not plain `tickfleet`: a shell alias that makes it so. */
  alias?: string;
  items: InitItem[];
  /** Things that will not work yet, one line each. */
  warnings: string[];
}

/** The management commands' home in the host project. */
export function managementCommandsDir(layout: Layout): string {
  return path.join(layout.root, '.claude', 'commands');
}

/**
 * Set tickfleet up in a project. Safe to run again: what exists is reported,
 * never rewritten, and nothing a user edited is replaced.
 */
export async function initProject(layout: Layout, options: InitOptions): Promise<InitResult> {
  if (!statSync(layout.root, { throwIfNoEntry: false })?.isDirectory())
    throw new ExitError(`${layout.root} is not a folder`);
  const searchPath = 'searchPath' in options ? options.searchPath : process.env.PATH;
  const cliCommand = options.cliCommand ?? tickfleetInvocation(layout.root, { shared: true }).command;
  const invocation = tickfleetInvocation(layout.root, { searchPath });
  const items: InitItem[] = [...(await ensureFolders(layout)), await ensureAgentsYaml(layout)];
  const warnings: string[] = [];

  if (options.skills) {
    items.push(
      ...(await installSlashCommands(layout, {
        kind: 'management',
        targetDir: managementCommandsDir(layout),
        cliCommand,
      })),
    );
    if (options.cliCommand === undefined && !existsSync(cliScript())) {
      warnings.push(
        `${cliScript()} is not built yet: run \`npm install && npm run build\` in ${path.dirname(path.dirname(cliScript()))} before using the slash commands`,
      );
    }
    // A package outside the project can be shared only as `tickfleet` on PATH: say when that is not so here.
    if (
      options.cliCommand === undefined &&
      invocation.kind === 'outside' &&
      !tickfleetOnPathIs(packageRoot(), searchPath)
    ) {
      warnings.push(
        'the slash commands run `tickfleet`, which is not on PATH here: install it where the team can reach it (npm i -g tickfleet), or add tickfleet to the project as a submodule or a dev dependency and run init again',
      );
    }
  } else {
    items.push({ path: '.claude/commands/', kind: 'command', action: 'skipped' });
  }

  items.push(
    options.gitignore ? await ensureGitignore(layout) : { path: '.gitignore', kind: 'gitignore', action: 'skipped' },
  );
  items.push(await ensureClaudeMd(layout, options.claudeMd));
  const alias =
    invocation.command === 'tickfleet' ? undefined : `alias tickfleet=${shellQuote(aliasTarget(invocation))}`;
  return {
    root: layout.root,
    cliCommand,
    invocation: invocation.command,
    ...(alias ? { alias } : {}),
    items,
    warnings,
  };
}

/** An alias lives in a person's shell start-up file and runs from any folder: npx finds the project's copy, else the CLI by its absolute path. */
function aliasTarget(invocation: Invocation): string {
  return invocation.kind === 'npm' ? invocation.command : `node ${shellQuote(cliScript())}`;
}

/** True when the run changed nothing on disk. */
export function changedNothing(result: InitResult): boolean {
  return result.items.every(
    (i) => i.action === 'unchanged' || i.action === 'kept' || i.action === 'skipped' || i.action === 'suggested',
  );
}
