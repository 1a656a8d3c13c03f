import { PRIORITIES, type Priority } from '../config/types.js';
import { coerceField, decodeHeaderValue } from '../core/fieldKinds.js';
import { TASK_FIELD_KINDS } from './fields.js';
import { TASK_HEADER_SYNTAX, TITLE_LINE, looksLikeHeaderTask } from './headerFormat.js';
import { DEFAULT_PRIORITY, type TaskFields } from './types.js';

/**
 * The fast reader of a task file, the only one beside the full parse
 * (format.ts): the few fields that counts and claim order need, read from
 * the file's first lines without a YAML parser (parsing thousands of files
 * with one is far too slow for `queue-status`). It walks lines with indexOf
 * and looks closely only at the keys asked for; a value is typed as the YAML
 * core schema (front matter) or `decodeHeaderValue` (header lines) types it,
 * then checked with the same `coerceField` as a full parse. Anything it is
 * not sure of (a value over several lines, anchors, tags, escapes, a key
 * twice, no end of the metadata) gives undefined, and the caller runs the
 * full parser. When it answers for a file the full parse reads, the fields
 * are the ones the full parse gives (test/tasks.readersAgree.property.test.ts);
 * it does not check the fields it does not read, so a file it answers for may
 * still be one the full parse rejects, which the claim's full read then
 * quarantines.
 */
export type TaskSummary = Pick<TaskFields, 'id' | 'role' | 'priority' | 'expedite' | 'created' | 'not_before' | 'blocked_by'>;
/** What `queue-status` counts by. */
export type TaskCounts = Pick<TaskFields, 'role' | 'blocked_by'>;

type Key = keyof TaskSummary;
const SUMMARY_KEYS: readonly Key[] = ['id', 'role', 'priority', 'expedite', 'created', 'not_before', 'blocked_by'];
const COUNT_KEYS: readonly Key[] = ['role', 'blocked_by'];

/**
 * The summary claim order needs. `partial`: `text` is the start of a longer
 * file, cut at a line end, so the metadata must end inside it.
 */
export function summarizeTask(text: string, id: string, partial = false): TaskSummary | undefined {
  const raw = readKeys(text, SUMMARY_KEYS, partial, true);
  if (raw === undefined) return undefined;
  const f = coerceAll(raw, SUMMARY_KEYS);
  if (f === undefined || f.id !== id || !hasRole(f)) return undefined;
  const priority = (f.priority as Priority | undefined) ?? DEFAULT_PRIORITY;
  if (!PRIORITIES.includes(priority)) return undefined;
  return {
    id,
    role: f.role as string,
    priority,
    expedite: (f.expedite as boolean | undefined) ?? false,
    created: (f.created as string | undefined) ?? '',
    not_before: f.not_before as string | undefined,
    blocked_by: f.blocked_by as string[],
  };
}

/** Only what `queue-status` counts by: the least reading, for the most files. */
export function countTask(text: string, partial = false): TaskCounts | undefined {
  const raw = readKeys(text, COUNT_KEYS, partial, false);
  const f = raw && coerceAll(raw, COUNT_KEYS);
  return f && hasRole(f) ? { role: f.role as string, blocked_by: f.blocked_by as string[] } : undefined;
}

export function pick(f: TaskFields): TaskSummary {
  return { id: f.id, role: f.role, priority: f.priority, expedite: f.expedite, created: f.created, not_before: f.not_before, blocked_by: f.blocked_by };
}

function coerceAll(raw: Map<string, unknown>, keys: readonly Key[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const c = coerceField(TASK_FIELD_KINDS[key], raw.get(key));
    if (!c.ok) return undefined;
    out[key] = c.value;
  }
  return out;
}

function hasRole(f: Record<string, unknown>): boolean {
  return typeof f.role === 'string' && f.role.trim() !== '';
}

/** Returned by the value readers for anything not read exactly as the YAML parser would. */
const UNSURE = Symbol('unsure');

/** The raw values of `keys`, or undefined when the reader is not sure of them. */
function readKeys(text: string, keys: readonly Key[], partial: boolean, withId: boolean): Map<string, unknown> | undefined {
  if (looksLikeHeaderTask(text)) return headerKeys(text, keys, partial, withId);
  const open = openLength(text);
  return open === 0 ? undefined : frontMatterKeys(text, open, keys);
}

// ---- front matter -----------------------------------------------------------

/** What the lines under the last key may be. */
const Under = {
  /** No key yet: an indented line is not front matter this reader knows. */
  Nothing: 0,
  /** A key not asked for: its nested lines are skipped. */
  Other: 1,
  /** An asked-for key with a one-line value: a further line would continue it. */
  Value: 2,
  /** An asked-for key with no value on its line: `- item` lines may follow. */
  List: 3,
} as const;

function frontMatterKeys(text: string, from: number, keys: readonly Key[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  let under: number = Under.Nothing;
  let listKey = '';
  let items: unknown[] = [];
  let itemIndent = -1;
  for (let pos = from; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const line = pos;
    pos = end + 1;
    const c = text.charCodeAt(line);
    if ((c === 0x2d || c === 0x2e) && isEndLine(text, line, lineEnd)) {
      if (under === Under.List) out.set(listKey, itemIndent < 0 ? null : items);
      return ODD_CHARS.test(text.slice(from, pos)) ? undefined : out;
    }
    const item = c === 0x2d && (lineEnd === line + 1 || isSpace(text.charCodeAt(line + 1)));
    if (c === 0x20 || item || line === lineEnd) {
      let indent = 0;
      while (text.charCodeAt(line + indent) === 0x20) indent++;
      if (line + indent === lineEnd) continue; // a blank line
      if (under === Under.Other) continue; // nested in a key not asked for
      if (text.charCodeAt(line + indent) === 0x23) {
        if (under === Under.List) continue; // a comment among the items
        return undefined;
      }
      if (under !== Under.List) return undefined; // a value continued, or nesting where a scalar was read
      if (itemIndent >= 0 && indent !== itemIndent) return undefined;
      itemIndent = indent;
      const dash = line + indent;
      if (text.charCodeAt(dash) !== 0x2d || !isSpace(text.charCodeAt(dash + 1))) return undefined;
      const value = readScalar(trimYaml(text.slice(dash + 2, lineEnd)));
      if (value === UNSURE || value === null) return undefined;
      items.push(value);
      continue;
    }
    if (c === 0x23) continue; // a comment line
    if (under === Under.List) out.set(listKey, itemIndent < 0 ? null : items);
    // Only a line that may hold an asked-for key is read as a key; for the others the colon is enough.
    const wanted = isWantedStart(c, keys);
    const colon = wanted ? keyEnd(text, line, lineEnd) : text.indexOf(':', line);
    if (colon < 0 || colon >= lineEnd) return undefined;
    const key = wanted ? text.slice(line, colon).trimEnd() : '';
    const start = skipSpaces(text, colon + 1, lineEnd);
    if (key === '' || !keys.includes(key as Key)) {
      under = Under.Other;
      // A quoted or bracketed value that does not end on its line could hide lines that look like keys.
      const v = text.charCodeAt(start);
      if ((v === 0x22 || v === 0x27 || v === 0x5b || v === 0x7b) && oneLineValue(text.slice(start, lineEnd)) === UNSURE) return undefined;
      continue;
    }
    if (out.has(key)) return undefined; // YAML rejects a key twice
    const v = text.charCodeAt(start);
    if (start === lineEnd || v === 0x23) {
      under = Under.List;
      listKey = key;
      items = [];
      itemIndent = -1;
      continue;
    }
    const value = oneLineValue(text.slice(start, lineEnd));
    if (value === UNSURE) return undefined;
    out.set(key, value);
    under = Under.Value;
  }
  return undefined; // no closing line
}

/** Characters after which YAML and this reader might see different lines or values: left to the parser. */
const ODD_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]|\r(?!\n)/;

/** Length of the opening `---` line, or 0. */
function openLength(text: string): number {
  if (!text.startsWith('---')) return 0;
  let i = skipSpaces(text, 3, text.length);
  if (text.charCodeAt(i) === 0x0d) i++;
  return text.charCodeAt(i) === 0x0a ? i + 1 : 0;
}

function isEndLine(text: string, from: number, to: number): boolean {
  const c = text.charCodeAt(from);
  return text.charCodeAt(from + 1) === c && text.charCodeAt(from + 2) === c && skipSpaces(text, from + 3, to) === to;
}

function skipSpaces(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Index of the colon ending a plain key (`name:` then a space, a tab or the end of the line), or -1. */
function keyEnd(text: string, from: number, to: number): number {
  const c = text.charCodeAt(from);
  if (!(isAlpha(c) || c === 0x5f)) return -1;
  let i = from + 1;
  for (; i < to; i++) {
    const d = text.charCodeAt(i);
    if (!(isAlpha(d) || (d >= 0x30 && d <= 0x39) || d === 0x5f || d === 0x2d)) break;
  }
  while (i < to && text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x3a) return -1;
  return i + 1 === to || isSpace(text.charCodeAt(i + 1)) ? i : -1;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Whether a key starting with this character may be one of `keys` (spares a slice for most lines). */
function isWantedStart(c: number, keys: readonly Key[]): boolean {
  for (const key of keys) if (key.charCodeAt(0) === c) return true;
  return false;
}

/** YAML trims only spaces and tabs; String.trim would also drop a no-break space that YAML keeps. */
function trimYaml(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** A value that is all on its key's line (not empty, not only a comment). */
function oneLineValue(raw: string): unknown {
  const text = trimYaml(raw);
  return text.charCodeAt(0) === 0x5b ? readFlowList(text) : readScalar(text);
}

/** `[a, b]` on one line, plain items only. */
function readFlowList(raw: string): unknown {
  const close = raw.indexOf(']');
  if (close < 0 || !isCommentOrEmpty(raw.slice(close + 1))) return UNSURE;
  const inner = raw.slice(1, close);
  if (/[[\]{}"'#:]/.test(inner)) return UNSURE;
  if (trimYaml(inner) === '') return [];
  const items: unknown[] = [];
  for (const part of inner.split(',')) {
    const item = trimYaml(part);
    if (item === '' || startsOtherThanPlain(item)) return UNSURE;
    const value = resolvePlain(item);
    if (value === UNSURE || value === null) return UNSURE;
    items.push(value);
  }
  return items;
}

/** A one-line scalar (`raw` trimmed): quoted, or plain and typed as the core schema types it. */
function readScalar(raw: string): unknown {
  const c = raw.charCodeAt(0);
  if (raw === '' || c === 0x23) return null;
  if (c === 0x27) {
    const m = /^'((?:[^']|'')*)'(.*)$/.exec(raw);
    return m && isCommentOrEmpty(m[2]!) ? m[1]!.replace(/''/g, "'") : UNSURE;
  }
  if (c === 0x22) {
    const m = /^"([^"\\]*)"(.*)$/.exec(raw);
    return m && isCommentOrEmpty(m[2]!) ? m[1]! : UNSURE;
  }
  if (startsOtherThanPlain(raw)) return UNSURE;
  let plain = raw;
  for (let i = raw.indexOf('#'); i >= 0; i = raw.indexOf('#', i + 1)) {
    if (isSpace(raw.charCodeAt(i - 1))) {
      plain = trimYaml(raw.slice(0, i));
      break;
    }
  }
  for (let i = plain.indexOf(':'); i >= 0; i = plain.indexOf(':', i + 1)) {
    if (i + 1 === plain.length || isSpace(plain.charCodeAt(i + 1))) return UNSURE; // `a: b` is not a scalar
  }
  return resolvePlain(plain);
}

/** An indicator that starts something other than a plain scalar (or an error). */
function startsOtherThanPlain(s: string): boolean {
  if ('[]{}&*!|>%@`,?:#\'"'.includes(s.charAt(0))) return true;
  return s.charCodeAt(0) === 0x2d && (s.length === 1 || isSpace(s.charCodeAt(1)));
}

function isCommentOrEmpty(rest: string): boolean {
  return trimYaml(rest) === '' || /^[ \t]+#/.test(rest);
}

/** A plain scalar as the YAML 1.2 core schema reads it (yaml's `core` tags). */
function resolvePlain(s: string): unknown {
  if (s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  const c = s.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
    if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return parseFloat(s);
    if (/^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return UNSURE;
  }
  return s;
}

// ---- header lines -----------------------------------------------------------

/** Seed 001's format, line by line as `splitHeaderDoc` cuts it, each line read by the format's own syntax. */
function headerKeys(text: string, keys: readonly Key[], partial: boolean, withId: boolean): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  let end = text.indexOf('\n');
  if (end < 0) return undefined;
  if (withId) {
    const title = TITLE_LINE.exec(text.slice(0, end > 0 && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end));
    if (!title) return undefined;
    out.set('id', title[1]);
  }
  let inHeader = false;
  let ended = false;
  for (let pos = end + 1; pos < text.length; pos = end + 1) {
    end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end < text.length && end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    if (!inHeader && line.trim() === '') continue;
    const parsed = TASK_HEADER_SYNTAX.parse(line);
    if (parsed === undefined) {
      ended = true;
      break;
    }
    inHeader = true;
    const field = parsed.field as Key;
    if (field === 'id' || !keys.includes(field)) continue;
    if (out.has(field)) return undefined; // the full parse rejects a field twice
    out.set(field, decodeHeaderValue(TASK_FIELD_KINDS[field], parsed.value));
  }
  // The header block may run to the end of a whole file, not of a head.
  return ended || !partial ? out : undefined;
}
