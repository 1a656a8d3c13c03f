import { coerceField } from '../core/fieldKinds.js';
import { PRIORITIES, type Priority } from './priority.js';
import { QueueFileError } from '../core/queueFolder.js';
import { looksLikeHeaderTask, parseHeaderTask } from './headerFormat.js';
import { isDeliveryStage } from './stage.js';
import { DEFAULT_PRIORITY, type TaskFields } from './types.js';

/**
 * A light read of a task file: the few fields that counts and claim order
 * need, found without a YAML parser (parsing thousands of files with one is
 * far too slow for `queue-status`). Anything the scan is not sure of returns
 * undefined, and the caller falls back to a full parse.
 */
export type TaskSummary = Pick<TaskFields, 'id' | 'role' | 'priority' | 'expedite' | 'created' | 'not_before' | 'blocked_by'> & LifecycleFields;

/** What a task's lifecycle needs besides its folder (tasks/lifecycle.ts); set only when the file has them. */
export type LifecycleFields = Partial<Pick<TaskFields, 'stage' | 'cancelled_at'>>;

const COMPLEX = Symbol('complex');
type ScanValue = string | null | string[] | typeof COMPLEX;

/** `partial`: `text` is the start of a longer file, so a header block must end inside it. */
export function summarizeTask(text: string, id: string, partial = false): TaskSummary | undefined {
  if (looksLikeHeaderTask(text)) {
    try {
      const { doc, fields } = parseHeaderTask(text, `${id}.md`);
      return partial && doc.body === '' ? undefined : pick(fields);
    } catch (err) {
      if (err instanceof QueueFileError) return undefined;
      throw err;
    }
  }
  const values = scanFrontMatter(text);
  if (!values) return undefined;
  const get = (key: string, kind: 'string' | 'bool' | 'list'): unknown => {
    const v = values.get(key);
    if (v === COMPLEX) throw COMPLEX;
    const c = coerceField(kind, v);
    if (!c.ok) throw COMPLEX;
    return c.value;
  };
  try {
    if (get('id', 'string') !== id) return undefined;
    const role = get('role', 'string') as string | undefined;
    const priority = (get('priority', 'string') as Priority | undefined) ?? DEFAULT_PRIORITY;
    if (!role || !PRIORITIES.includes(priority)) return undefined;
    const stage = get('stage', 'string');
    if (stage !== undefined && !isDeliveryStage(stage)) return undefined;
    const cancelledAt = get('cancelled_at', 'string') as string | undefined;
    return {
      ...(stage !== undefined ? { stage } : {}),
      ...(cancelledAt ? { cancelled_at: cancelledAt } : {}),
      id,
      role,
      priority,
      expedite: (get('expedite', 'bool') as boolean | undefined) ?? false,
      created: (get('created', 'string') as string | undefined) ?? '',
      not_before: get('not_before', 'string') as string | undefined,
      blocked_by: get('blocked_by', 'list') as string[],
    };
  } catch (err) {
    if (err === COMPLEX) return undefined;
    throw err;
  }
}

export function pick(f: TaskFields): TaskSummary {
  return { id: f.id, role: f.role, priority: f.priority, expedite: f.expedite, created: f.created, not_before: f.not_before, blocked_by: f.blocked_by, ...lifecycleFields(f) };
}

function lifecycleFields(f: LifecycleFields): LifecycleFields {
  return { ...(f.stage !== undefined ? { stage: f.stage } : {}), ...(f.cancelled_at ? { cancelled_at: f.cancelled_at } : {}) };
}

/**
 * Top-level keys of the front matter whose values are plain or quoted
 * scalars, or lists of them; other values read as COMPLEX. Undefined when the
 * text is not front matter the scan understands (duplicate keys, odd lines,
 * no closing ---): the full parser then decides.
 */
export function scanFrontMatter(text: string): Map<string, ScanValue> | undefined {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return undefined;
  const values = new Map<string, ScanValue>();
  let pending: string | undefined; // a key with an empty value: a block list may follow
  let pos = open[0].length;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    pos = end + 1;
    if (/^(?:---|\.\.\.)[ \t]*$/.test(line)) return values;
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (/^[ \t-]/.test(line)) {
      if (pending === undefined) return undefined;
      const item = /^[ \t]*- (.*)$/.exec(line);
      const current = values.get(pending);
      const scalar = item ? parseScalar(item[1]!) : COMPLEX;
      if (typeof scalar === 'string' && (current === null || Array.isArray(current))) values.set(pending, [...(current ?? []), scalar]);
      else values.set(pending, COMPLEX);
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (!m || values.has(m[1]!)) return undefined;
    const raw = (m[2] ?? '').trim();
    pending = m[1]!;
    values.set(pending, raw === '' || raw.startsWith('#') ? null : parseValue(raw));
  }
  return undefined;
}

function parseValue(raw: string): ScanValue {
  if (!raw.startsWith('[')) return parseScalar(raw);
  const close = raw.indexOf(']');
  if (close < 0 || !isCommentOrEmpty(raw.slice(close + 1))) return COMPLEX;
  const inner = raw.slice(1, close);
  if (/[[\]{}"']/.test(inner)) return COMPLEX;
  const items = inner.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.every((s) => typeof parseScalar(s) === 'string') ? items : COMPLEX;
}

function parseScalar(raw: string): string | null | typeof COMPLEX {
  const text = raw.trim();
  if (text === '~' || /^(?:null|Null|NULL)$/.test(text)) return null;
  if (/^[&*!|>{[%@`]/.test(text)) return COMPLEX;
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'(.*)$/.exec(text);
    return m && isCommentOrEmpty(m[2]!) ? m[1]!.replace(/''/g, "'") : COMPLEX;
  }
  if (text.startsWith('"')) {
    const m = /^"([^"\\]*)"(.*)$/.exec(text);
    return m && isCommentOrEmpty(m[2]!) ? m[1]! : COMPLEX;
  }
  const comment = text.search(/[ \t]#/);
  const plain = (comment < 0 ? text : text.slice(0, comment)).trim();
  // `key: a: b` is not valid YAML; let the full parser say so.
  return /: |:$/.test(plain) ? COMPLEX : plain;
}

function isCommentOrEmpty(rest: string): boolean {
  return rest.trim() === '' || /^[ \t]+#/.test(rest);
}
