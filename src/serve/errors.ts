import { isKnownError } from '../core/errors.js';
import { type Problem, ProblemError, problem } from './problem.js';

/**
 * A thrown error as the answer a client gets. A person's mistake the library
 * reports (an ExitError: an unknown id, a task in the wrong state, a limit)
 * keeps its one-line message: not found is a 404, a task or review in a state
 * the action does not apply to a 409, the rest a 400 with the field its
 * message starts with when it names one. Anything else is a 500 whose detail
 * hides the internals; the server logs it.
 */
export function problemFor(err: unknown, fields: readonly string[] = []): { problem: Problem; internal: boolean } {
  if (err instanceof ProblemError) return { problem: err.toProblem(), internal: false };
  if (isKnownError(err)) {
    const message = err.message;
    if (/\bnot found\b|\bno (agent|review|proposal) /i.test(message) && !/\bclaims\b/.test(message))
      return { problem: problem(404, message), internal: false };
    if (/\bis in \w+; only\b|\bis (already|not) \w+/i.test(message))
      return { problem: problem(409, message), internal: false };
    return { problem: problem(400, message, fieldNamed(message, fields)), internal: false };
  }
  return { problem: problem(500, 'the server failed to answer; its log says why'), internal: true };
}

/** The field a library message is about: `task title is empty` → title, `blocked_by: …` → blocked_by. */
function fieldNamed(message: string, fields: readonly string[]): string | undefined {
  const m = /^(?:task |--)?([a-z_-]+)\b/i.exec(message);
  const word = m?.[1]?.replaceAll('-', '_');
  if (word && fields.includes(word)) return word;
  return fields.find((f) => new RegExp(`\\b${f}\\b`).test(message));
}
