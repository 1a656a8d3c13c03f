/**
 * Two kinds of expected error, one top-level catch (src/cli/main.ts).
 *
 * ExitError is a failure a person can fix (bad config, unknown task id, a
 * malformed queue file, a limit reached): its message is shown as one line,
 * and the process exits with its code. InternalError (below) is a failure of
 * tickfleet's own work that no input of the person's caused. Anything else
 * that reaches the top is a bug and says so.
 */
export class ExitError extends Error {
  readonly exitCode: number;
  /** Extra lines (for example every config problem) printed after the message. */
  readonly details: readonly string[];

  constructor(message: string, options: { exitCode?: number; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExitError';
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? [];
  }
}

/** A command line that does not parse: exit code 2. */
export class UsageError extends ExitError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/**
 * A step of tickfleet's own work that failed without the person's input being
 * wrong: a git or gh command inside a run, a lease lost to a cancel or a
 * reclaim. It is not a bug either, so the top-level catch shows its message
 * as one line and exits 1, as for an ExitError; it is a kind of its own so
 * that code recovering from a person's mistake (`instanceof ExitError`) does
 * not swallow it. `kind` names the part that failed.
 */
export class InternalError extends Error {
  readonly kind: InternalErrorKind;
  readonly exitCode = 1;
  /** Always empty; present so both kinds print the same way. */
  readonly details: readonly string[] = [];

  constructor(kind: InternalErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InternalError';
    this.kind = kind;
  }
}

export type InternalErrorKind = 'git' | 'gh' | 'lease';

export function isExitError(err: unknown): err is ExitError {
  return err instanceof ExitError;
}

/** Either expected kind: shown as one line with its exit code, never as a bug. */
export function isKnownError(err: unknown): err is ExitError | InternalError {
  return err instanceof ExitError || err instanceof InternalError;
}

/** The errno code of a Node fs error, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

/** An fs error saying the path is not there: ENOENT, or ENOTDIR (a part of the path is a file). */
export function isMissing(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * For a file or folder that may be absent: `.catch(ignoreMissing)` gives
 * undefined when it is missing and rethrows any other failure, which would
 * mean something is wrong (permissions, a full disk) and must not pass for
 * "not there".
 */
export function ignoreMissing(err: unknown): undefined {
  if (!isMissing(err)) throw err;
  return undefined;
}
