import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { ensureAgentsYaml } from './agentsYaml.js';
import type { InitChoices } from './choices.js';
import { ensureClaudeMd } from './claudeMd.js';
import { cliScript, tickfleetCommand } from './cliCommand.js';
import { ensureGitignore } from './gitignore.js';
import { installSlashCommands } from './slashCommands.js';
import { ensureFolders } from './tree.js';
import type { InitItem } from './types.js';

export interface InitOptions extends InitChoices {
  /** The command installed slash commands run; default `node <package>/dist/bundle/cli.js -C <root>`. */
  cliCommand?: string;
}

export interface InitResult {
  root: string;
  cliCommand: string;
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
  if (!statSync(layout.root, { throwIfNoEntry: false })?.isDirectory()) throw new ExitError(`${layout.root} is not a folder`);
  const cliCommand = options.cliCommand ?? tickfleetCommand(layout);
  const items: InitItem[] = [...(await ensureFolders(layout)), await ensureAgentsYaml(layout)];
  const warnings: string[] = [];

  if (options.skills) {
    items.push(...(await installSlashCommands(layout, { kind: 'management', targetDir: managementCommandsDir(layout), cliCommand })));
    if (options.cliCommand === undefined && !existsSync(cliScript())) {
      warnings.push(`${cliScript()} is not built yet: run \`npm install && npm run build\` in ${path.dirname(path.dirname(cliScript()))} before using the slash commands`);
    }
  } else {
    items.push({ path: '.claude/commands/', kind: 'command', action: 'skipped' });
  }

  items.push(options.gitignore ? await ensureGitignore(layout) : { path: '.gitignore', kind: 'gitignore', action: 'skipped' });
  items.push(await ensureClaudeMd(layout, options.claudeMd));
  return { root: layout.root, cliCommand, items, warnings };
}

/** True when the run changed nothing on disk. */
export function changedNothing(result: InitResult): boolean {
  return result.items.every((i) => i.action === 'unchanged' || i.action === 'kept' || i.action === 'skipped' || i.action === 'suggested');
}
