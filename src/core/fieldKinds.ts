import { isPlainObject } from './plainData.js';

/**
 * The value kinds of queue-file fields, and how each is read from YAML or from
 * a one-line `Key: value` header, and written back. Tasks (both formats) and
 * proposals share these rules so a field means the same thing everywhere.
 */
export type FieldKind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'object';

export type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

const EXPECTED: Record<FieldKind, string> = {
  string: 'text',
  int: 'a whole number >= 0',
  number: 'a number',
  bool: 'true or false',
  list: 'a list of ids',
  object: 'a mapping',
};

/** Normalise a value read from a file; null and absent both read as undefined ([] for lists). */
export function coerceField(kind: FieldKind, value: unknown): Coerced {
  if (value === null || value === undefined) return { ok: true, value: kind === 'list' ? [] : undefined };
  const bad: Coerced = { ok: false, expected: EXPECTED[kind] };
  switch (kind) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? { ok: true, value: String(value) }
        : bad;
    case 'int': {
      const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? { ok: true, value: n } : bad;
    }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { ok: true, value: n } : bad;
    }
    case 'bool': {
      if (typeof value === 'boolean') return { ok: true, value };
      const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
      return s === 'true' || s === 'false' ? { ok: true, value: s === 'true' } : bad;
    }
    case 'list': {
      const items = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items)) return bad;
      const out: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string' && typeof item !== 'number') return bad;
        const s = String(item).trim();
        if (s !== '') out.push(s);
      }
      return { ok: true, value: out };
    }
    case 'object':
      return isPlainObject(value) ? { ok: true, value } : bad;
  }
}

/** Read the raw text of a header line as a JS value (coerceField then checks it). */
export function decodeHeaderValue(kind: FieldKind, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  if (kind === 'object' || (kind === 'list' && text.startsWith('[')) || (kind === 'string' && text.startsWith('"'))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A string that merely starts with a quote stays as written; other kinds fail in coerceField.
      return kind === 'string' ? text : Symbol('invalid JSON');
    }
  }
  return text;
}

/** One-line text for a header line; structured or unusual values become JSON. */
export function encodeHeaderValue(kind: FieldKind, value: unknown): string {
  if (kind === 'object') return JSON.stringify(value);
  if (kind === 'list') {
    const items = value as string[];
    return items.every((s) => /^[^\s,"[\]][^,"\n\r]*$/.test(s) && s === s.trim())
      ? items.join(', ')
      : JSON.stringify(items);
  }
  const text = String(value);
  const plain = text === text.trim() && !/[\n\r]/.test(text) && !/^["{[]/.test(text);
  return kind === 'string' && !plain ? JSON.stringify(text) : text;
}
