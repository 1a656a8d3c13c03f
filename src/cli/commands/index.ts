import type { Command } from 'commander';

/**
 * Every subcommand lives in its own file and exports `register(program)`.
 * Add one import and one call per command, in the order `--help` lists them.
 */
export function registerCommands(program: Command): void {
  void program;
}
