import { spawn } from 'node:child_process';
import { ExitError, InternalError } from '../core/errors.js';

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
export function runGh(args: readonly string[], options: GhOptions): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', GH_SPINNER_DISABLED: '1' };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const name = args.slice(0, 2).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('gh', args, { cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.stdin?.on('error', () => undefined); // gh may exit before reading: its exit code tells.
    child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ExitError(`cannot run gh: ${e.message}; install the GitHub CLI or set review.backend: local`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) return resolve(stdout);
      const said = signal ? `killed by ${signal} (timeout?)` : firstLine(stderr) || firstLine(stdout);
      reject(new GhError(name, code ?? 1, said, stderr));
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}
