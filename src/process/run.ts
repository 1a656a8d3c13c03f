import { signalGroup, terminateGroup } from './group.js';

export interface RunOptions {
  cwd?: string;
  /** The child's whole environment (nothing of this process's is added). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Text for stdin; without it stdin is closed, so nothing can wait on it. */
  input?: string;
  /** End the command after this long; 0, infinite or absent: never. */
  timeoutMs?: number;
  /** What a timeout sends: SIGKILL at once, or SIGTERM and SIGKILL `killGraceMs` later (the default). A group always gets the latter. */
  killSignal?: 'SIGTERM' | 'SIGKILL';
  /** Default 5 s. */
  killGraceMs?: number;
  /**
   * Its own process group: a timeout ends the whole group (SIGTERM, then
   * SIGKILL after the grace), and whatever the command left running in the
   * background is killed once it exits. Give it `outputFd`: a background
   * process holding captured pipes open keeps the run waiting until the timeout.
   */
  group?: boolean;
  /** Write stdout and stderr to this file descriptor instead of capturing them. */
  outputFd?: number;
  /** Drop one trailing newline from the captured stdout and stderr. Default false: the text as written. */
  stripFinalNewline?: boolean;
  /** Called with the child's pid once it is started (with `group`, its process group): a caller that may be killed records it, so whoever recovers can end the group. */
  onStart?: (pid: number) => void | Promise<void>;
}

export interface RunResult {
  /** '' when not captured. */
  stdout: string;
  stderr: string;
  /** Null when the command was killed or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Why the command could not be started (`code` ENOENT: not found, EACCES: not executable). */
  spawnError?: NodeJS.ErrnoException;
  durationMs: number;
}

const DEFAULT_KILL_GRACE_MS = 5_000;

// execa takes tens of milliseconds to load: only a command that starts a process pays for it.
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = (): Promise<typeof import('execa')> => (execaModule ??= import('execa'));

/**
 * Run a command to completion and say how it ended; never throws for the
 * command's sake (a failure to start is `spawnError`). No shell: `args` are
 * passed as they are.
 */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { execa } = await loadExeca();
  const started = Date.now();
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const timeoutMs =
    options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0
      ? options.timeoutMs
      : undefined;
  const output = options.outputFd;
  const child = execa(command, [...args], {
    reject: false,
    // The library installs no exit hooks in its host process.
    cleanup: false,
    maxBuffer: Number.POSITIVE_INFINITY,
    stripFinalNewline: options.stripFinalNewline ?? false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    // The descriptor goes to the child as it is (execa's types list only 3 to 9): a background process writing to it does not hold the run open.
    ...(output === undefined ? {} : { stdout: output as 3, stderr: output as 3 }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env, extendEnv: false }),
    ...(options.group
      ? { detached: true }
      : timeoutMs === undefined
        ? {}
        : { timeout: timeoutMs, killSignal: options.killSignal ?? 'SIGTERM', forceKillAfterDelay: grace }),
  });

  if (options.onStart && child.pid !== undefined) await options.onStart(child.pid);
  let groupTimedOut = false;
  let ending: Promise<unknown> | undefined;
  const pgid = options.group ? child.pid : undefined;
  const timer =
    pgid !== undefined && timeoutMs !== undefined
      ? setTimeout(() => {
          groupTimedOut = true;
          ending = terminateGroup(pgid, grace).catch(() => undefined);
        }, timeoutMs)
      : undefined;
  const result = await child;
  if (timer) clearTimeout(timer);
  if (pgid !== undefined) {
    killQuietly(pgid);
    await ending;
  }

  const cause = result.cause as unknown;
  const ran = result.exitCode !== undefined || result.signal !== undefined;
  return {
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    exitCode: result.exitCode ?? null,
    signal: (result.signal as NodeJS.Signals | undefined) ?? null,
    timedOut: result.timedOut || groupTimedOut,
    ...(!ran && cause instanceof Error ? { spawnError: cause as NodeJS.ErrnoException } : {}),
    durationMs: Date.now() - started,
  };
}

/** SIGKILL to the group; a group already gone, or not ours to signal, is left as it is. */
function killQuietly(pgid: number): void {
  try {
    signalGroup(pgid, 'SIGKILL');
  } catch {
    // Not ours to signal: nothing more can be done from here.
  }
}
