import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** The built CLI bundle (`npm run build`). */
export const CLI = path.resolve(import.meta.dirname, '../../dist/bundle/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI with exactly this environment; never throws, returns the exit code and output. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The built CLI as a person (or, with TICKFLEET_AGENT in `env`, an agent) runs
 * it, without colour. The environment of whoever runs the tests must not make
 * these runs an agent's, so its TICKFLEET_* identity is dropped first.
 */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { TICKFLEET_AGENT: _a, TICKFLEET_PROJECT: _p, TICKFLEET_RUN_ID: _r, ...base } = process.env;
  return runCli(args, { ...base, NO_COLOR: '1', ...env });
}
