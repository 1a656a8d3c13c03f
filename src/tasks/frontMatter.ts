import { Document, isMap, isScalar, parseDocument } from 'yaml';
import { QueueFileError } from '../core/queueFolder.js';
import { readTaskFields, TASK_FIELDS, WRITTEN_WHEN_SET } from './fields.js';
import type { TaskFields } from './task.js';

/**
 * The canonical task format: YAML front matter, then the markdown body. The
 * yaml Document API keeps comments, key order and unknown keys through an
 * edit; the core schema keeps dates as strings.
 */
export interface FrontMatterParts {
  open: string;
  yaml: string;
  close: string;
  doc: Document;
  body: string;
}

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

export function looksLikeFrontMatter(text: string): boolean {
  return /^---[ \t]*\r?\n/.test(text);
}

export function splitFrontMatter(text: string, file: string): Omit<FrontMatterParts, 'doc'> {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) throw new QueueFileError(`${file}: does not start with a --- front matter line`);
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(open[0].length);
  const m = close.exec(rest);
  if (!m) throw new QueueFileError(`${file}: front matter has no closing --- line`);
  return { open: open[0], yaml: rest.slice(0, m.index), close: m[0], body: rest.slice(m.index + m[0].length) };
}

export function parseFrontMatter(text: string, file: string): { parts: FrontMatterParts; fields: TaskFields } {
  const split = splitFrontMatter(text, file);
  const doc = parseDocument(split.yaml);
  if (doc.errors.length > 0) {
    const first = (doc.errors[0]?.message ?? 'unknown error').split('\n')[0];
    throw new QueueFileError(`${file}: front matter is not valid YAML: ${first}`);
  }
  if (!isMap(doc.contents))
    throw new QueueFileError(`${file}: front matter must be a mapping of fields (id: ..., title: ..., role: ...)`);
  let values: Record<string, unknown>;
  try {
    values = doc.toJS() as Record<string, unknown>;
  } catch (err) {
    // An alias with no anchor (`title: *fix`) or too many aliases is found only here, thrown as a plain Error.
    throw new QueueFileError(`${file}: front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const fields = readTaskFields(
    (f) => values[f],
    file,
    (f) => f,
  );
  return { parts: { ...split, doc }, fields };
}

/** Apply changed fields to a copy of the document; unchanged text is kept as it was. */
export function renderFrontMatter(
  parts: FrontMatterParts,
  changed: (keyof TaskFields)[],
  fields: TaskFields,
  body: string,
): string {
  if (changed.length === 0) return parts.open + parts.yaml + parts.close + body;
  const doc = parts.doc.clone();
  for (const field of changed) {
    const value = fields[field];
    if (value === undefined) {
      if (WRITTEN_WHEN_SET.has(field)) doc.delete(field);
      else doc.set(field, null);
    } else {
      doc.set(field, value);
    }
  }
  return parts.open + doc.toString(TO_STRING) + parts.close + body;
}

/**
 * The text with `set` fields given values, when each is absent from the
 * document or a one-line null (`lease: null`, as a new file writes it): the
 * null line replaced, the absent ones appended, where and as renderFrontMatter
 * would put them, without copying or printing the whole document. Undefined
 * when a plain text edit might not read the same: a flow mapping, one that
 * does not start at column 0, a field with a value or a comment, a trailing
 * comment the document edit would keep last.
 */
export function setNullFields(
  parts: FrontMatterParts,
  set: (keyof TaskFields)[],
  fields: TaskFields,
  body: string,
): string | undefined {
  const { doc, yaml } = parts;
  const map = doc.contents;
  if (!isMap(map) || map.flow || doc.comment || !yaml.endsWith('\n') || !atLineStart(yaml, map.range?.[0]))
    return undefined;
  const edits: { from: number; to: number; text: string }[] = [];
  const appended: Record<string, unknown> = {};
  for (const field of set) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === field);
    if (!pair) {
      appended[field] = fields[field];
      continue;
    }
    const { key, value } = pair;
    if (!isScalar(key) || !isScalar(value) || value.value !== null || key.commentBefore || value.comment)
      return undefined;
    const from = key.range?.[0];
    const to = value.range?.[1];
    if (from === undefined || to === undefined || !atLineStart(yaml, from) || yaml[to] !== '\n') return undefined;
    if (yaml.slice(from, to).includes('\n')) return undefined;
    edits.push({ from, to, text: new Document({ [field]: fields[field] }).toString(TO_STRING).slice(0, -1) });
  }
  let out = yaml;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  if (Object.keys(appended).length > 0) out += new Document(appended).toString(TO_STRING);
  return parts.open + out + parts.close + body;
}

function atLineStart(text: string, at: number | undefined): boolean {
  return at !== undefined && (at === 0 || text[at - 1] === '\n');
}

/** A new file in the canonical format. */
export function renderNewFrontMatter(fields: TaskFields, body: string): string {
  const data: Record<string, unknown> = {};
  for (const field of TASK_FIELDS) {
    const value = fields[field];
    if (value !== undefined) data[field] = value;
    else if (!WRITTEN_WHEN_SET.has(field)) data[field] = null;
  }
  return `---\n${new Document(data).toString(TO_STRING)}---\n${body}`;
}
