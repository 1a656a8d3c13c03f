import { InternalError, isExitError } from '../core/errors.js';
import { type Problem, ProblemError, problem } from './problem.js';

/**
 * A thrown error as the answer a client gets. A person's mistake the library
 * reports (an ExitError: an unknown id, a task in the wrong state, a limit)
 * keeps its one-line message: not found is a 404, a task or review in a state
 * the action does not apply to a 409, the rest a 400 with the field `fieldOf`
 * finds in its message. Anything else is a 500 whose detail
 * hides the internals; the server logs it.
 */
export function problemFor(
  err: unknown,
  fieldOf: (message: string) => string | undefined = () => undefined,
): { problem: Problem; internal: boolean } {
  if (err instanceof ProblemError) return { problem: err.toProblem(), internal: false };
  // tickfleet's own step failed (git, gh, a lost lease): not the client's fault, but a line a person can act on.
  if (err instanceof InternalError) return { problem: problem(500, err.message), internal: false };
  if (isExitError(err)) {
    const message = err.message;
    if (/\bnot found\b|\bno (agent|review|proposal) /i.test(message) && !/\bclaims\b/.test(message))
      return { problem: problem(404, message), internal: false };
    if (/\bis in \w+; only\b|; only pending reviews can be\b|^\w+ reached\b/.test(message))
      return { problem: problem(409, message), internal: false };
    return { problem: problem(400, message, fieldOf(message)), internal: false };
  }
  return { problem: problem(500, 'the server failed to answer; its log says why'), internal: true };
}

/**
 * A field-finder for a route whose library messages start with the field they
 * are about (`task title is empty`, `blocked_by: …`, `--priority must be …`),
 * with extra patterns for messages that do not.
 */
export function leadingField(
  fields: readonly string[],
  patterns: readonly [RegExp, string][] = [],
): (message: string) => string | undefined {
  return (message) => {
    for (const [re, field] of patterns) if (re.test(message)) return field;
    const word = /^(?:task |--)?([a-z_-]+)\b/i.exec(message)?.[1]?.replaceAll('-', '_');
    return word !== undefined && fields.includes(word) ? word : undefined;
  };
}
