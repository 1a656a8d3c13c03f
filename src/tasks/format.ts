import type { HeaderDoc } from '../core/headerLines.js';
import { clonePlain, sameValue } from '../core/plainData.js';
import { QueueFileError } from '../core/queueFolder.js';
import { readTaskFields, TASK_FIELDS } from './fields.js';
import {
  type FrontMatterParts,
  looksLikeFrontMatter,
  parseFrontMatter,
  renderFrontMatter,
  renderNewFrontMatter,
  setNullFields,
} from './frontMatter.js';
import { looksLikeHeaderTask, parseHeaderTask, renderHeaderTask } from './headerFormat.js';
import type { Task, TaskFields, TaskSourceRef, TaskState } from './task.js';

/**
 * A parsed file: its original text, the fields as first read (the baseline a
 * rewrite is compared with) and the format's own representation.
 */
class TaskSource implements TaskSourceRef {
  /** Parsed on first use when the text was made here rather than read (nullsSet). */
  #frontMatter: FrontMatterParts | (() => FrontMatterParts) | undefined;
  constructor(
    readonly format: 'frontmatter' | 'header',
    readonly text: string,
    readonly baseline: TaskFields,
    readonly body: string,
    frontMatter?: FrontMatterParts | (() => FrontMatterParts),
    readonly header?: HeaderDoc,
  ) {
    this.#frontMatter = frontMatter;
  }
  get frontMatter(): FrontMatterParts | undefined {
    if (typeof this.#frontMatter === 'function') this.#frontMatter = this.#frontMatter();
    return this.#frontMatter;
  }
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
 * The file text for a task and the task as that text reads back, checked as
 * a new parse would check it (QueueFileError when it would not read): how
 * saveTask (store.ts) writes a task it changed.
 */
export function renderTask(task: Task): { text: string; written: Task } {
  const quick = nullsSet(task);
  if (quick) return quick;
  const text = serializeTask(task);
  return { text, written: parseTask(text, task.file, task.state) };
}

/**
 * An edit that only gives values to fields the front matter leaves unset (a
 * claim's lease, on a task written with `lease: null`): the text as read with
 * those lines set (frontMatter.ts setNullFields), and the task as it reads
 * back, without parsing the whole file again. A claim does this under the
 * queue lock, where a second parse and a copy of the document were most of
 * its work. Any other edit (a field removed or replaced, a new body, an
 * unusual layout) takes the general way.
 */
function nullsSet(task: Task): { text: string; written: Task } | undefined {
  const source = task.source instanceof TaskSource ? task.source : undefined;
  const parts = source?.format === 'frontmatter' ? source.frontMatter : undefined;
  if (!source || !parts || task.body !== source.body) return undefined;
  const fields = taskFields(task);
  const changed = TASK_FIELDS.filter((f) => !sameValue(fields[f], source.baseline[f]));
  if (changed.length === 0) return undefined;
  if (changed.some((f) => fields[f] === undefined)) return undefined;
  const text = setNullFields(parts, changed, fields, task.body);
  if (text === undefined) return undefined;
  // The checks a parse of the text would make: the fields kept read as before, the added ones as written.
  const read = readTaskFields(
    (f) => fields[f],
    task.file,
    (f) => f,
  );
  const lazy = () => parseFrontMatter(text, task.file).parts;
  const written: Task = {
    ...clonePlain(read),
    body: task.body,
    state: task.state,
    file: task.file,
    source: new TaskSource('frontmatter', text, clonePlain(read), task.body, lazy),
  };
  return { text, written };
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
