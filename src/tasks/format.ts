import type { HeaderDoc } from '../core/headerLines.js';
import { clonePlain, sameValue } from '../core/plainData.js';
import { QueueFileError } from '../core/queueFolder.js';
import { TASK_FIELDS } from './fields.js';
import {
  type FrontMatterParts,
  looksLikeFrontMatter,
  parseFrontMatter,
  renderFrontMatter,
  renderNewFrontMatter,
} from './frontMatter.js';
import { looksLikeHeaderTask, parseHeaderTask, renderHeaderTask } from './headerFormat.js';
import type { Task, TaskFields, TaskSourceRef, TaskState } from './task.js';

/**
 * A parsed file: its original text, the fields as first read (the baseline a
 * rewrite is compared with) and the format's own representation.
 */
class TaskSource implements TaskSourceRef {
  constructor(
    readonly format: 'frontmatter' | 'header',
    readonly text: string,
    readonly baseline: TaskFields,
    readonly body: string,
    readonly frontMatter?: FrontMatterParts,
    readonly header?: HeaderDoc,
  ) {}
  toJSON(): undefined {
    return undefined;
  }
}

/** Parse a task file of either format; throws QueueFileError naming the file and the problem. */
export function parseTask(text: string, file: string, state: TaskState): Task {
  if (looksLikeFrontMatter(text)) {
    const { parts, fields } = parseFrontMatter(text, file);
    const source = new TaskSource('frontmatter', text, clonePlain(fields), parts.body, parts);
    return { ...clonePlain(fields), body: parts.body, state, file, source };
  }
  if (looksLikeHeaderTask(text)) {
    const { doc, fields } = parseHeaderTask(text, file);
    const source = new TaskSource('header', text, clonePlain(fields), doc.body, undefined, doc);
    return { ...clonePlain(fields), body: doc.body, state, file, source };
  }
  throw new QueueFileError(`${file}: neither YAML front matter (---) nor a "# [TASK-<id>] <title>" header line`);
}

export function taskFields(task: TaskFields): TaskFields {
  const out: Record<string, unknown> = {};
  for (const field of TASK_FIELDS) out[field] = task[field];
  return out as unknown as TaskFields;
}

/**
 * The file text for a task. A task read from a file keeps its format; only
 * fields whose value changed are rewritten, so an unchanged task gives back
 * the exact bytes it was read from.
 */
export function serializeTask(task: Task): string {
  const fields = taskFields(task);
  const source = task.source instanceof TaskSource ? task.source : undefined;
  if (!source) return renderNewFrontMatter(fields, task.body);
  const changed = TASK_FIELDS.filter((f) => !sameValue(fields[f], source.baseline[f]));
  if (changed.length === 0 && task.body === source.body) return source.text;
  if (source.header) return renderHeaderTask(source.header, changed, fields, task.body);
  return renderFrontMatter(source.frontMatter!, changed, fields, task.body);
}
