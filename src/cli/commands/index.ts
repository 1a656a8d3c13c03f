import type { Command } from 'commander';
import { register as registerConfig } from './config.js';
import { register as registerInit } from './init.js';
import { register as registerMessages } from './messages.js';
import { register as registerRuns } from './runs.js';
import { register as registerSetup } from './setup.js';

/**
 * Every subcommand lives in its own file and exports `register(program)`.
 * Add one import and one call per command, in the order `--help` lists them.
 */
export function registerCommands(program: Command): void {
  registerInit(program);
  registerConfig(program);
  registerMessages(program);
  registerRuns(program);
  registerSetup(program);
  void program;
}
