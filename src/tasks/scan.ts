import { coerceField, decodeHeaderValue } from '../core/fieldKinds.js';
import { TASK_FIELD_KINDS } from './fields.js';
import { looksLikeHeaderTask, TASK_HEADER_SYNTAX, TITLE_LINE } from './headerFormat.js';
import { PRIORITIES, type Priority } from './priority.js';
import { isDeliveryStage } from './stage.js';
import { DEFAULT_PRIORITY, type TaskFields } from './task.js';

/**
 * The fast reader of a task file, the only one beside the full parse
 * (format.ts): the few fields that counts, claim order and the lifecycle
 * need, read from the file's first lines without a YAML parser (parsing
 * thousands of files with one is far too slow for `queue-status`). It walks
 * lines with indexOf and looks closely only at the keys asked for; a value
 * is typed as the YAML core schema (front matter) or `decodeHeaderValue`
 * (header lines) types it, then checked with the same `coerceField` as a
 * full parse. Anything it is not sure of (a value over several lines,
 * anchors, tags, escapes, a key twice, no end of the metadata) gives
 * undefined, and the caller runs the full parser. When it answers for a file
 * the full parse reads, the fields are the ones the full parse gives
 * (test/tasks.readersAgree.property.test.ts); it does not check the fields
 * it does not read, so a file it answers for may still be one the full parse
 * rejects, which the claim's full read then quarantines.
 */
export type TaskSummary = Pick<
  TaskFields,
  'id' | 'role' | 'priority' | 'expedite' | 'created' | 'not_before' | 'blocked_by'
> &
  LifecycleFields;
/** What `queue-status` counts by. */
export type TaskCounts = Pick<TaskFields, 'role' | 'blocked_by'> & LifecycleFields;

/** What a task's lifecycle needs besides its folder (tasks/lifecycle.ts); set only when the file has them. */
export type LifecycleFields = Partial<Pick<TaskFields, 'stage' | 'cancelled_at'>>;

type Key = keyof TaskSummary;
const SUMMARY_KEYS: readonly Key[] = [
  'id',
  'role',
  'priority',
  'expedite',
  'created',
  'not_before',
  'blocked_by',
  'stage',
  'cancelled_at',
];
const COUNT_KEYS: readonly Key[] = ['role', 'blocked_by', 'stage', 'cancelled_at'];

/**
 * The summary claim order needs. `partial`: `text` is the start of a longer
 * file, cut at a line end, so the metadata must end inside it.
 */
export function summarizeTask(text: string, id: string, partial = false): TaskSummary | undefined {
  const raw = readKeys(text, SUMMARY_KEYS, partial, true);
  if (raw === undefined) return undefined;
  const f = coerceAll(raw, SUMMARY_KEYS);
  if (f === undefined || f.id !== id || !hasRole(f.role)) return undefined;
  const priority = (f.priority as Priority | undefined) ?? DEFAULT_PRIORITY;
  if (!PRIORITIES.includes(priority)) return undefined;
  const lifecycle = lifecycleFields(f.stage, f.cancelled_at);
  if (lifecycle === undefined) return undefined;
  return {
    ...lifecycle,
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
  if (raw === undefined) return undefined;
  const role = asString(raw.get('role'));
  const blocked = asList(raw.get('blocked_by'));
  const lifecycle = lifecycleFields(raw.get('stage'), raw.get('cancelled_at'));
  return role !== undefined && blocked !== undefined && lifecycle !== undefined && hasRole(role)
    ? { ...lifecycle, role, blocked_by: blocked }
    : undefined;
}

export function pick(f: TaskFields): TaskSummary {
  return {
    id: f.id,
    role: f.role,
    priority: f.priority,
    expedite: f.expedite,
    created: f.created,
    not_before: f.not_before,
    blocked_by: f.blocked_by,
    ...lifecycleFields(f.stage, f.cancelled_at),
  };
}

const NO_LIFECYCLE: LifecycleFields = Object.freeze({});

/**
 * `stage` and `cancelled_at` as the full parse types them, each only when
 * set; undefined when the full parse rejects them (a stage that is not a
 * delivery stage), so the caller runs it and it says why.
 */
function lifecycleFields(rawStage: unknown, rawCancelledAt: unknown): LifecycleFields | undefined {
  if (rawStage === undefined && rawCancelledAt === undefined) return NO_LIFECYCLE; // most files
  const stage = coerceField(TASK_FIELD_KINDS.stage, rawStage);
  const cancelledAt = coerceField(TASK_FIELD_KINDS.cancelled_at, rawCancelledAt);
  if (!stage.ok || !cancelledAt.ok) return undefined;
  if (stage.value !== undefined && !isDeliveryStage(stage.value)) return undefined;
  const out: LifecycleFields = {};
  if (stage.value !== undefined) out.stage = stage.value;
  if (cancelledAt.value !== undefined) out.cancelled_at = cancelledAt.value as string;
  return out;
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

// coerceField, with the answer for the values most files hold given at once: this runs for every file.
function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const c = coerceField('string', value);
  return c.ok ? (c.value as string | undefined) : undefined;
}

function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'string' && v !== '' && trimYaml(v) === v && v.trim() === v)
  )
    return value as string[];
  const c = coerceField('list', value);
  return c.ok ? (c.value as string[]) : undefined;
}

function hasRole(role: unknown): boolean {
  return typeof role === 'string' && role.trim() !== '';
}

/** Returned by the value readers for anything not read exactly as the YAML parser would. */
const UNSURE = Symbol('unsure');

/** The raw values of `keys`, or undefined when the reader is not sure of them. */
function readKeys(
  text: string,
  keys: readonly Key[],
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
function startTable(keys: readonly Key[]): Uint8Array {
  const table = new Uint8Array(128);
  for (const key of keys) table[key.charCodeAt(0)] = 1;
  return table;
}
const KEY_STARTS = new Map<readonly Key[], Uint8Array>([
  [SUMMARY_KEYS, startTable(SUMMARY_KEYS)],
  [COUNT_KEYS, startTable(COUNT_KEYS)],
]);

function frontMatterKeys(text: string, from: number, keys: readonly Key[]): Map<string, unknown> | undefined {
  const starts = KEY_STARTS.get(keys)!;
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
function otherLine(text: string, line: number, lineEnd: number, c: number, keys: readonly Key[]): number {
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
  let key: Key | undefined;
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

/** Seed 001's format, line by line as `splitHeaderDoc` cuts it, each line read by the format's own syntax. */
function headerKeys(
  text: string,
  keys: readonly Key[],
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
    const field = parsed.field as Key;
    if (field === 'id' || !keys.includes(field)) continue;
    if (out.has(field)) return undefined; // the full parse rejects a field twice
    out.set(field, decodeHeaderValue(TASK_FIELD_KINDS[field], parsed.value));
  }
  // The header block may run to the end of a whole file, not of a head.
  return ended || !partial ? out : undefined;
}
