import { execa } from 'execa';
import type { CommandRunner } from './types.js';

/** The real command runner: never throws, never prompts, gives up after a timeout. */
export const runCommand: CommandRunner = async (command, args, options = {}) => {
  const result = await execa(command, [...args], {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 20_000,
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const code = (result as { code?: string }).code;
  const missing = code === 'ENOENT' || code === 'EACCES';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  return {
    missing,
    exitCode: result.exitCode ?? (missing ? 127 : 1),
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: result.timedOut ? `timed out after ${(options.timeoutMs ?? 20_000) / 1000}s${stderr ? `: ${stderr}` : ''}` : stderr,
  };
};
