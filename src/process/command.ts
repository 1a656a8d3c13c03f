import { runProcess } from './run.js';

export interface CommandOptions {
  cwd?: string;
  /** The command's whole environment. Default this process's. */
  env?: Record<string, string>;
  /** Text for stdin; without it stdin is closed, so nothing prompts. */
  input?: string;
  /** Give up after this long (SIGTERM, SIGKILL 5 s later); the timeout is noted at the head of stderr. Default: never. */
  timeoutMs?: number;
  /** Keep the trailing newline of stdout and stderr, for text compared or stored as it is. */
  keepFinalNewline?: boolean;
  /** Count a command that exists but cannot be executed (EACCES) as missing, like one not found. */
  unexecutableIsMissing?: boolean;
}

export interface CommandResult {
  /** The command could not be started: not found (ENOENT), or with `unexecutableIsMissing` not executable. */
  missing: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; injected so tests decide what a tool answers. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

/** The real command runner: never throws, never prompts. */
export const runCommand: CommandRunner = async (command, args, options = {}) => {
  const result = await runProcess(command, args, {
    stripFinalNewline: !options.keepFinalNewline,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const code = result.spawnError?.code;
  const missing = code === 'ENOENT' || (options.unexecutableIsMissing === true && code === 'EACCES');
  const stderr = result.stderr;
  return {
    missing,
    exitCode: result.exitCode ?? (missing ? 127 : 1),
    stdout: result.stdout,
    stderr: result.timedOut
      ? `timed out after ${(options.timeoutMs ?? 0) / 1000}s${stderr ? `: ${stderr}` : ''}`
      : stderr,
  };
};
