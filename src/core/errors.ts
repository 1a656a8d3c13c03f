/**
 * Two kinds of error, one top-level catch (src/cli.ts).
 *
 * ExitError is an expected failure the user can fix (bad config, unknown task
 * id, a limit reached): its message is shown as one line, and the process exits
 * with its code. Anything else that reaches the top is a bug and says so.
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

export function isExitError(err: unknown): err is ExitError {
  return err instanceof ExitError;
}

/** The errno code of a Node fs error, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}
