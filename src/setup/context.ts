import os from 'node:os';
import { type Clock, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { cliScript } from '../init/cliCommand.js';
import { type CommandResult, runCommand } from '../process/command.js';
import type { GhNeed } from '../review/ghNeed.js';
import { projectGhNeed } from './ghNeed.js';

export type ToolResult = CommandResult;

/** Runs a control tool (crontab, launchctl, systemctl); injected so library tests need no processes. */
export type ToolRunner = (command: string, args: readonly string[], input?: string) => Promise<ToolResult>;

// Files and tables are compared as the tools print them: the final newline stays.
const runTool: ToolRunner = (command, args, input) =>
  runCommand(command, args, { keepFinalNewline: true, ...(input === undefined ? {} : { input }) });

/**
 * Everything setup reads from the machine, in one place, so tests point it at
 * a temp home and fake control tools and never touch the real user's crontab
 * or LaunchAgents.
 */
export interface SetupContext {
  layout: Layout;
  /** Environment: PATH (to find claude/gh/git), XDG_CONFIG_HOME, tool overrides. */
  env: NodeJS.ProcessEnv;
  home: string;
  node: string;
  cli: string;
  clock: Clock;
  run: ToolRunner;
  /** Whether the tick needs gh (the rule doctor follows too); default from agents.yaml and the remotes. */
  gh: GhNeed;
  /** Install `tickfleet serve` beside the tick (systemd and launchd only: cron cannot keep a server running). */
  serve?: boolean;
}

export function setupContext(layout: Layout, overrides: Partial<Omit<SetupContext, 'layout'>> = {}): SetupContext {
  return {
    gh: overrides.gh ?? projectGhNeed(layout),
    layout,
    env: process.env,
    // os.homedir() honours $HOME, so a test's HOME keeps its files in a temp dir.
    home: os.homedir(),
    node: process.execPath,
    cli: cliScript(),
    clock: systemClock,
    run: runTool,
    ...overrides,
  };
}

/** Control tools, each overridable by an env var so tests can put a recording fake in its place. */
export const TOOL_ENV = {
  crontab: 'TICKFLEET_CRONTAB',
  launchctl: 'TICKFLEET_LAUNCHCTL',
  systemctl: 'TICKFLEET_SYSTEMCTL',
} as const;

export function toolCommand(ctx: SetupContext, tool: keyof typeof TOOL_ENV): string {
  const override = ctx.env[TOOL_ENV[tool]];
  return override && override.trim() !== '' ? override : tool;
}
