import type { Task } from './task.js';

/**
 * What a finished run left for whoever comes next: the text of the task's
 * last `## Handoff` section (completeTask writes it from the model's
 * summary), or undefined when it has none.
 */
export function handoffOf(task: Pick<Task, 'body'>): string | undefined {
  const body = task.body;
  const at = body.lastIndexOf('\n## Handoff\n');
  const start = at >= 0 ? at + 1 : body.startsWith('## Handoff\n') ? 0 : -1;
  if (start < 0) return undefined;
  const from = start + '## Handoff\n'.length;
  const next = body.indexOf('\n## ', from - 1);
  const text = body.slice(from, next < 0 ? body.length : next).trim();
  return text === '' ? undefined : text;
}
