import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { Task } from './task.js';
import { updateTask } from './update.js';

export const FEEDBACK_HEADING = '## Feedback';

/** Longest feedback kept; past this it is a document, and belongs in the repository or a new task. */
const MAX_FEEDBACK_CHARS = 4_000;

/**
 * A person's feedback on a task, kept in its file under `## Feedback` (one
 * entry per call, with its time and author), written under the queue lock in
 * whatever folder the task is. The task's body is what the next attempt's
 * instructions show, so the feedback reaches the agent that works on it next
 * (after `tickfleet retry-failed` for a failed task).
 */
export async function addFeedback(
  layout: Layout,
  id: string,
  text: string,
  by: string,
  options: { clock?: Clock } = {},
): Promise<Task> {
  const body = text.trim();
  if (body === '') throw new ExitError(`feedback for ${id} is empty; say what the next attempt should do differently`);
  if (body.length > MAX_FEEDBACK_CHARS)
    throw new ExitError(
      `feedback for ${id} is ${body.length} characters; at most ${MAX_FEEDBACK_CHARS} (put longer notes in a file and name it)`,
    );
  if (by.trim() === '') throw new ExitError(`feedback for ${id} needs an author`);
  const at = isoSeconds((options.clock ?? systemClock).now());
  return updateTask(layout, id, (task) => {
    task.body = withFeedback(task.body, `- ${at} ${by.trim()}: ${body.replace(/\n/g, '\n  ')}`);
  });
}

/** Add an entry to the `## Feedback` section, making the section at the end of the body when there is none. */
function withFeedback(body: string, entry: string): string {
  const start = body.indexOf(`\n${FEEDBACK_HEADING}\n`);
  const at = body.startsWith(`${FEEDBACK_HEADING}\n`) ? 0 : start >= 0 ? start + 1 : -1;
  if (at < 0) {
    const trimmed = body.replace(/\s+$/, '');
    return `${trimmed === '' ? '' : `${trimmed}\n\n`}${FEEDBACK_HEADING}\n${entry}\n`;
  }
  // The section ends where the next `## ` heading starts (or at the end); entries go at its end, in order.
  const next = body.indexOf('\n## ', at + FEEDBACK_HEADING.length);
  const end = next < 0 ? body.length : next + 1;
  const section = body.slice(0, end).replace(/\s+$/, '');
  const rest = body.slice(end);
  return `${section}\n${entry}\n${rest === '' ? '' : `\n${rest}`}`;
}
