import { decodeHeaderValue, encodeHeaderValue } from '../core/fieldKinds.js';
import { type HeaderDoc, type HeaderSyntax, renderHeaderDoc, splitHeaderDoc } from '../core/headerLines.js';
import { QueueFileError } from '../core/queueFolder.js';
import { readTaskFields, TASK_FIELD_KINDS } from './fields.js';
import type { TaskFields } from './task.js';

/**
 * The header-line task format: `# [TASK-a1b2c3d4] Title`, then `ROLE: implement`
 * style lines, then the body. Read as-is and, once rewritten, kept in this
 * format: known fields as `KEY: value` (structured values as one-line JSON),
 * unknown lines untouched.
 */
export const TITLE_LINE = /^# \[([^\]\s]*)\][ \t]*(.*?)[ \t]*$/;

export const TASK_HEADER_SYNTAX: HeaderSyntax = {
  parse(line) {
    const m = /^([A-Z][A-Z0-9_]*):(?:[ \t]+(.*))?$/.exec(line);
    return m ? { field: m[1]!.toLowerCase(), label: m[1]!, value: m[2] ?? '' } : undefined;
  },
  label: (field) => field.toUpperCase(),
  format: (label, value) => (value === '' ? `${label}:` : `${label}: ${value}`),
};

export function looksLikeHeaderTask(text: string): boolean {
  return text.startsWith('# [');
}

export function parseHeaderTask(text: string, file: string): { doc: HeaderDoc; fields: TaskFields } {
  const doc = splitHeaderDoc(text, TASK_HEADER_SYNTAX);
  const title = TITLE_LINE.exec(doc.first.text);
  if (!title)
    throw new QueueFileError(
      `${file}: first line must be "# [TASK-<id>] <title>", got ${JSON.stringify(doc.first.text.slice(0, 60))}`,
    );
  const raw = new Map<string, string>();
  for (const line of doc.lines) {
    if (!line.field || !(line.field in TASK_FIELD_KINDS) || line.field === 'id' || line.field === 'title') continue;
    if (raw.has(line.field)) throw new QueueFileError(`${file}: ${line.label} appears twice; keep one line`);
    raw.set(line.field, line.value ?? '');
  }
  const get = (field: keyof TaskFields): unknown => {
    if (field === 'id') return title[1];
    if (field === 'title') return title[2];
    const value = raw.get(field);
    return value === undefined ? undefined : decodeHeaderValue(TASK_FIELD_KINDS[field], value);
  };
  const fields = readTaskFields(get, file, (f) =>
    f === 'id' || f === 'title' ? `the title line's ${f}` : f.toUpperCase(),
  );
  return { doc, fields };
}

export function renderHeaderTask(
  doc: HeaderDoc,
  changed: (keyof TaskFields)[],
  fields: TaskFields,
  body: string,
): string {
  const edits = new Map<string, string | undefined>();
  let first: string | undefined;
  for (const field of changed) {
    if (field === 'id' || field === 'title') {
      first = `# [${fields.id}] ${fields.title}`;
      continue;
    }
    const value = fields[field];
    const unset = value === undefined || (Array.isArray(value) && value.length === 0);
    edits.set(field, unset ? undefined : encodeHeaderValue(TASK_FIELD_KINDS[field], value));
  }
  return renderHeaderDoc(doc, TASK_HEADER_SYNTAX, { first, fields: edits, body });
}
