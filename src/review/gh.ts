import { ExitError, InternalError } from '../core/errors.js';
import { overlayEnv } from '../process/env.js';
import { firstLine } from '../process/firstLine.js';
import { runProcess } from '../process/run.js';

export interface GhOptions {
  /** Where gh runs: it finds the GitHub repository from this work tree's remote. */
  cwd: string;
  /** Extra environment (PATH, GH_TOKEN, GH_HOST, ...), over the process's own. */
  env?: Record<string, string | undefined>;
  /** Text for gh's stdin (`--body-file -`): bodies never go through argv. */
  input?: string;
  timeoutMs?: number;
}

/**
 * A gh command that failed: the subcommand, the exit code and the first thing
 * gh said. Internal: tickfleet chose the command mid-run; the message still
 * ends with the likely fix (gh's login, the remote).
 */
export class GhError extends InternalError {
  readonly command: string;
  /** gh's exit code; 0 when gh succeeded but its output made no sense. */
  readonly code: number;
  /** Everything gh wrote to stderr. */
  readonly stderr: string;
  constructor(command: string, code: number, said: string, stderr = '') {
    const what = code === 0 ? `gh ${command} ${said}` : `gh ${command} failed (exit ${code}): ${said || 'no output'}`;
    super('gh', `${what}; check \`gh auth status\` and that the repository's remote is on GitHub`);
    this.name = 'GhError';
    this.command = command;
    this.code = code;
    this.stderr = stderr;
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Run gh unattended (no prompts, no update notice, no colour) and return stdout. */
export async function runGh(args: readonly string[], options: GhOptions): Promise<string> {
  const env = overlayEnv(
    { ...process.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', GH_SPINNER_DISABLED: '1' },
    options.env,
  );
  const name = args.slice(0, 2).join(' ');
  // gh may exit before reading its input: its exit code tells.
  const run = await runProcess('gh', args, {
    cwd: options.cwd,
    env,
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (run.spawnError)
    throw new ExitError(
      `cannot run gh: ${run.spawnError.message}; install the GitHub CLI or set review.backend: local`,
      { cause: run.spawnError },
    );
  if (run.exitCode === 0) return run.stdout;
  const said = run.signal ? `killed by ${run.signal} (timeout?)` : firstLine(run.stderr) || firstLine(run.stdout);
  throw new GhError(name, run.exitCode ?? 1, said, run.stderr);
}
