import type { Layout } from '../core/paths.js';
import { AGENT_CLI, type CommandKind, installCommandFiles } from '../slash/install.js';
import type { InitItem } from './actions.js';
import { tickfleetInvocation } from './cliCommand.js';

export {
  AGENT_CLI,
  CLI_PLACEHOLDER,
  type CommandKind,
  isUneditedInstall,
  renderCommand,
  shippedCommandNames,
} from '../slash/install.js';

export interface InstallOptions {
  kind: CommandKind;
  /** Usually `<root>/.claude/commands` or `<worktree>/.claude/commands`. */
  targetDir: string;
  /** Default: management → how the project runs tickfleet, with no path of this machine (see tickfleetInvocation); agent → `tickfleet`. */
  cliCommand?: string;
}

/**
 * Copy the shipped commands of `kind` into `targetDir` (see slash/install.ts),
 * calling tickfleet as the project runs it unless told otherwise.
 */
export async function installSlashCommands(layout: Layout, options: InstallOptions): Promise<InitItem[]> {
  const cliCommand =
    options.cliCommand ??
    (options.kind === 'agent' ? AGENT_CLI : tickfleetInvocation(layout.root, { shared: true }).command);
  return installCommandFiles(layout, { kind: options.kind, targetDir: options.targetDir, cliCommand });
}
