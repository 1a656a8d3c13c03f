import { ExitError, InternalError } from '../core/errors.js';
import { overlayEnv, withoutRepoEnv } from '../process/env.js';
import { runProcess } from '../process/run.js';

/** Who a commit is attributed to. Each agent has its own, so history shows who wrote what. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** Used when neither the caller nor the environment names anyone: a machine without a global identity still works. */
export const DEFAULT_IDENTITY: GitIdentity = { name: 'tickfleet', email: 'tickfleet@localhost' };

export interface GitRunOptions {
  /** Extra environment, applied last. */
  env?: Record<string, string | undefined>;
  /** Identity for any commit the command makes. */
  identity?: GitIdentity;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  /** Kill git after this long (network commands). */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * A git command that failed: the command, its exit code and the first line of
 * what it said. Internal: tickfleet chose the command, so nothing the person
 * typed or wrote is wrong; the message names the command and git's words.
 */
export class GitError extends InternalError {
  readonly command: string;
  readonly cwd: string;
  readonly code: number;
  readonly firstLine: string;
  readonly stderr: string;

  constructor(cwd: string, args: readonly string[], result: GitResult) {
    const command = shorten(['git', ...args].join(' '));
    const firstLine = keyLineOf(result.stderr) || keyLineOf(result.stdout) || 'no output';
    super('git', `${command} failed in ${cwd} (exit ${result.code}): ${firstLine}`);
    this.name = 'GitError';
    this.command = command;
    this.cwd = cwd;
    this.code = result.code;
    this.firstLine = firstLine;
    this.stderr = result.stderr;
  }
}

/** The line that says what went wrong (`fatal:`, `error:`, `! [rejected]`), else the first one. */
export function keyLineOf(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /^(fatal|error):|^! |^CONFLICT/.test(l)) ?? lines[0] ?? '';
}

function shorten(s: string): string {
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

export function gitEnv(options: GitRunOptions = {}): NodeJS.ProcessEnv {
  const env = withoutRepoEnv();
  const who = options.identity;
  const fallback = DEFAULT_IDENTITY;
  env.GIT_AUTHOR_NAME = who?.name ?? env.GIT_AUTHOR_NAME ?? fallback.name;
  env.GIT_AUTHOR_EMAIL = who?.email ?? env.GIT_AUTHOR_EMAIL ?? fallback.email;
  env.GIT_COMMITTER_NAME = who?.name ?? env.GIT_COMMITTER_NAME ?? fallback.name;
  env.GIT_COMMITTER_EMAIL = who?.email ?? env.GIT_COMMITTER_EMAIL ?? fallback.email;
  // Unattended: never wait for a password, a passphrase, an editor or a host-key question.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  env.GIT_EDITOR = 'true';
  env.GIT_SEQUENCE_EDITOR = 'true';
  env.GIT_MERGE_AUTOEDIT = 'no';
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  // Messages we match on (and show) stay in one language.
  env.LC_ALL = 'C';
  return overlayEnv(env, options.env);
}

/**
 * git reads every worktree's record (`.git/worktrees/<name>/`) before it adds,
 * moves or lists one, and another git writing a new record at that moment
 * makes it stop with "failed to read .git/worktrees/<name>/commondir". Runs of
 * one fleet add worktrees at the same time, so that refusal is retried; the
 * record is whole within milliseconds and git changed nothing before it stopped.
 */
const HALF_WRITTEN_WORKTREE = /^fatal: failed to read .*worktrees\/[^/\n]+\/(commondir|gitdir)/m;
const WORKTREE_RACE_RETRIES = 8;

/** Run git in `cwd`; stdin is closed so nothing can wait on it. */
export async function gitRun(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await gitRunOnce(cwd, args, options);
    if (result.code === 0 || attempt > WORKTREE_RACE_RETRIES || !HALF_WRITTEN_WORKTREE.test(result.stderr)) {
      if (result.code !== 0 && !options.allowFail) throw new GitError(cwd, args, result);
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

async function gitRunOnce(cwd: string, args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const run = await runProcess('git', args, {
    cwd,
    env: gitEnv(options),
    killSignal: 'SIGKILL',
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (run.spawnError)
    throw new ExitError(`cannot run git in ${cwd}: ${run.spawnError.message}; is git installed and on PATH?`, {
      cause: run.spawnError,
    });
  const result: GitResult = {
    stdout: run.stdout,
    stderr: run.timedOut ? `timed out after ${options.timeoutMs} ms\n${run.stderr}` : run.stderr,
    code: run.exitCode ?? (run.signal ? 128 : 1),
  };
  return result;
}

/** Run git and return stdout without its trailing newline; throws GitError on failure. */
export async function git(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  const result = await gitRun(cwd, args, options);
  return result.stdout.replace(/\n$/, '');
}

/** The sha a revision names, or undefined when it names nothing. */
export async function revParse(cwd: string, rev: string): Promise<string | undefined> {
  const r = await gitRun(cwd, ['rev-parse', '--verify', '-q', `${rev}^{commit}`], { allowFail: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}
