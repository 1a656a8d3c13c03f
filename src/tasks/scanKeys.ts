import { decodeHeaderValue } from '../core/fieldKinds.js';
import { TASK_FIELD_KINDS } from './fields.js';
import { looksLikeHeaderTask, TASK_HEADER_SYNTAX, TITLE_LINE } from './headerFormat.js';
import type { TaskFields } from './task.js';

/**
 * The raw values of a few keys from the first lines of a task file, for the
 * fast reader (scan.ts), without a YAML parser: a value is typed as the YAML
 * core schema (front matter) or `decodeHeaderValue` (header lines) types it,
 * and anything not read exactly as the parser would (a value over several
 * lines, anchors, tags, escapes, a key twice, no end of the metadata) gives
 * undefined, so the caller runs the full parser.
 */
/** Returned by the value readers for anything not read exactly as the YAML parser would. */
const UNSURE = Symbol('unsure');

/** The raw values of `keys`, or undefined when the reader is not sure of them. */
export function readKeys(
  text: string,
  keys: readonly string[],
  partial: boolean,
  withId: boolean,
): Map<string, unknown> | undefined {
  if (looksLikeHeaderTask(text)) return headerKeys(text, keys, partial, withId);
  const open = openLength(text);
  return open === 0 ? undefined : frontMatterKeys(text, open, keys);
}

// ---- front matter -----------------------------------------------------------

// What the lines under the last key may be.
/** No key yet: an indented line is not front matter this reader knows. */
const UNDER_NOTHING = 0;
/** A key not asked for: its nested lines are skipped. */
const UNDER_OTHER = 1;
/** An asked-for key with a one-line value: a further line would continue it. */
const UNDER_VALUE = 2;
/** An asked-for key with no value on its line: `- item` lines may follow. */
const UNDER_LIST = 3;

// What a line tells the loop.
const GO_ON = 0;
const DONE = 1;
const UNSURE_FILE = 2;

/**
 * The state of one read, kept at module level: reads are synchronous and
 * their callers take the values out at once, and the loop below stays small
 * enough for the JIT to compile early (most of a queue is read before it
 * would compile a larger one).
 */
const scratch = new Map<string, unknown>();
let under = UNDER_NOTHING;
let listKey = '';
let items: unknown[] | undefined;
let itemIndent = -1;

/** For each character, whether one of the keys asked for starts with it. */
function startTable(keys: readonly string[]): Uint8Array {
  const table = new Uint8Array(128);
  for (const key of keys) table[key.charCodeAt(0)] = 1;
  return table;
}
// Callers ask with a few constant key lists: one table each, made on first use.
const KEY_STARTS = new Map<readonly string[], Uint8Array>();
function keyStarts(keys: readonly string[]): Uint8Array {
  let table = KEY_STARTS.get(keys);
  if (table === undefined) {
    table = startTable(keys);
    KEY_STARTS.set(keys, table);
  }
  return table;
}

function frontMatterKeys(text: string, from: number, keys: readonly string[]): Map<string, unknown> | undefined {
  const starts = keyStarts(keys);
  scratch.clear();
  under = UNDER_NOTHING;
  for (let pos = from; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = pos;
    pos = end + 1;
    const c = text.charCodeAt(line);
    // Most lines are keys not asked for: one look at their first character.
    if (c > 0x2e && c < 0x80 && starts[c] === 0) {
      if (under === UNDER_LIST) scratch.set(listKey, items ?? null);
      under = UNDER_OTHER;
      continue;
    }
    const lineEnd = end > line && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const r = otherLine(text, line, lineEnd, c, keys);
    if (r === GO_ON) continue;
    return r === DONE && !ODD_CHARS.test(text.slice(from, pos)) ? scratch : undefined;
  }
  return undefined; // no closing line
}

/** A line that may end the front matter, continue the last key, or be a key asked for. */
function otherLine(text: string, line: number, lineEnd: number, c: number, keys: readonly string[]): number {
  if ((c === 0x2d || c === 0x2e) && isEndLine(text, line, lineEnd)) {
    if (under === UNDER_LIST) scratch.set(listKey, items ?? null);
    return DONE;
  }
  if (c === 0x20 || line === lineEnd || (c === 0x2d && (lineEnd === line + 1 || isSpace(text.charCodeAt(line + 1)))))
    return childLine(text, line, lineEnd);
  if (c === 0x23) return GO_ON; // a comment line
  if (under === UNDER_LIST) scratch.set(listKey, items ?? null);
  // Any other line at the left edge is a key not asked for, or something YAML rejects (the full
  // parse then rejects the file). Its nested lines, and the lines a quoted or bracketed value goes
  // on over, are indented (YAML rejects them at the edge), so they are skipped with it.
  let key: string | undefined;
  let colon = -1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (c !== k.charCodeAt(0) || !text.startsWith(k, line)) continue;
    colon = line + k.length;
    while (text.charCodeAt(colon) === 0x20) colon++;
    const after = text.charCodeAt(colon + 1);
    if (text.charCodeAt(colon) === 0x3a && (colon + 1 === lineEnd || after === 0x20 || after === 0x09)) key = k;
    break;
  }
  if (key === undefined) {
    under = UNDER_OTHER;
    return GO_ON;
  }
  if (scratch.has(key)) return UNSURE_FILE; // YAML rejects a key twice
  const start = skipSpaces(text, colon + 1, lineEnd);
  if (start === lineEnd || text.charCodeAt(start) === 0x23) {
    under = UNDER_LIST;
    listKey = key;
    items = undefined;
    itemIndent = -1;
    return GO_ON;
  }
  const value = plainWord(text, start, lineEnd) ?? oneLineValue(text.slice(start, lineEnd));
  if (value === UNSURE) return UNSURE_FILE;
  scratch.set(key, value);
  under = UNDER_VALUE;
  return GO_ON;
}

/**
 * The value most lines hold, `implement` or `[]`, without the general rules:
 * letters, digits, `_`, `.` and `-` starting with a letter and not a word the
 * core schema reads otherwise (null, true, false), up to the end of the line.
 */
function plainWord(text: string, from: number, to: number): unknown {
  const first = text.charCodeAt(from);
  if (first === 0x5b && to === from + 2 && text.charCodeAt(from + 1) === 0x5d) return [];
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return undefined;
  let end = to;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (
      !(
        (c >= 0x41 && c <= 0x5a) ||
        (c >= 0x61 && c <= 0x7a) ||
        (c >= 0x30 && c <= 0x39) ||
        c === 0x5f ||
        c === 0x2e ||
        c === 0x2d
      )
    )
      return undefined;
  }
  const word = text.slice(from, end);
  return resolvePlain(word) === word ? word : undefined;
}

/** An indented line, a `- item` line or a blank line: under the last key. */
function childLine(text: string, line: number, lineEnd: number): number {
  let indent = 0;
  while (text.charCodeAt(line + indent) === 0x20) indent++;
  if (line + indent === lineEnd || under === UNDER_OTHER) return GO_ON; // blank, or nested in a key not asked for
  if (text.charCodeAt(line + indent) === 0x23) return under === UNDER_LIST ? GO_ON : UNSURE_FILE; // a comment among the items
  if (under !== UNDER_LIST) return UNSURE_FILE; // a value continued, or nesting where a scalar was read
  if (itemIndent >= 0 && indent !== itemIndent) return UNSURE_FILE;
  itemIndent = indent;
  const dash = line + indent;
  if (text.charCodeAt(dash) !== 0x2d || !isSpace(text.charCodeAt(dash + 1))) return UNSURE_FILE;
  const value = plainWord(text, dash + 2, lineEnd) ?? readScalar(trimYaml(text.slice(dash + 2, lineEnd)));
  if (value === UNSURE || value === null) return UNSURE_FILE;
  items ??= [];
  items.push(value);
  return GO_ON;
}

/** Characters after which YAML and this reader might see different lines or values: left to the parser. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this looks for.
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

/** YAML trims only spaces and tabs; String.trim would also drop a no-break space that YAML keeps. */
export function trimYaml(s: string): string {
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
  if (raw === '[]') return [];
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
  return rest === '' || trimYaml(rest) === '' || /^[ \t]+#/.test(rest);
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

/** The header-line format, line by line as `splitHeaderDoc` cuts it, each line read by the format's own syntax. */
function headerKeys(
  text: string,
  keys: readonly string[],
  partial: boolean,
  withId: boolean,
): Map<string, unknown> | undefined {
  const out = scratch;
  out.clear();
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
    // A header line starts with a capital (the syntax's own test below decides the rest).
    const c = text.charCodeAt(pos);
    const capital = c >= 0x41 && c <= 0x5a;
    if (inHeader && !capital) {
      ended = true;
      break;
    }
    const line = text.slice(pos, end < text.length && end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    if (!inHeader && !capital && line.trim() === '') continue;
    const parsed = capital ? TASK_HEADER_SYNTAX.parse(line) : undefined;
    if (parsed === undefined) {
      ended = true;
      break;
    }
    inHeader = true;
    const field = parsed.field as keyof TaskFields;
    if (field === 'id' || !keys.includes(field)) continue;
    if (out.has(field)) return undefined; // the full parse rejects a field twice
    out.set(field, decodeHeaderValue(TASK_FIELD_KINDS[field], parsed.value));
  }
  // The header block may run to the end of a whole file, not of a head.
  return ended || !partial ? out : undefined;
}
