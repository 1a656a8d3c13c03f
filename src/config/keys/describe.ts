import type { Spec } from './spec.js';

/**
 * The words of a problem message: what a key must be, what it was, and an
 * example of the right form. Kept apart from the key checker so the JSON Schema and
 * the key reference describe values in the same words.
 */

export function expectation(spec: Spec): string {
  if (spec.expect) return spec.expect;
  switch (spec.kind) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number':
      return numberPhrase(
        spec.kind,
        spec.min,
        spec.max,
        spec.kind === 'number' && spec.exclusiveMin === true,
        spec.unit,
      );
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'list':
      return `a list of ${expectation(spec.items)} items`;
    case 'command':
      return 'a command: a string (split on spaces) or a list of words';
    case 'map':
      return `a mapping of ${spec.keyLabel} to ${expectation(spec.values)}`;
    case 'object':
    case 'objectList':
      return spec.kind === 'object'
        ? `a mapping with the keys ${Object.keys(spec.fields).join(', ')}`
        : 'a list of mappings';
  }
}

function numberPhrase(
  kind: 'integer' | 'number',
  min: number | undefined,
  max: number | undefined,
  exclusiveMin: boolean,
  unit: string | undefined,
): string {
  const noun = unit ? (kind === 'integer' ? `integer number of ${unit}` : `number of ${unit}`) : kind;
  if (min !== undefined && max !== undefined) return `${article(noun)} ${noun} from ${min} to ${max}`;
  if (min === 0 && exclusiveMin) return `a positive ${noun}`;
  if (min === 1 && kind === 'integer') return `a positive ${noun}`;
  if (min === 0) return `a non-negative ${noun}`;
  if (min !== undefined) return `${article(noun)} ${noun}, at least ${min}`;
  if (max !== undefined) return `${article(noun)} ${noun}, at most ${max}`;
  return `${article(noun)} ${noun}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** A value as the user wrote it, for "got ...". */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** A value in YAML flow style, on one line: `[lint, tests]`, `{max_active: 5}`. */
export function inlineYaml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineYaml).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${plainOrQuoted(k)}: ${inlineYaml(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return plainOrQuoted(value);
  return String(value);
}

function plainOrQuoted(s: string): string {
  // Quote what YAML would read as something other than this string.
  const plain =
    /^(?:[A-Za-z_./$]|-(?=[^\s-]|-\S))[\w./$ ()*:-]*$/.test(s) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(s) &&
    !/[:#]\s|\s$|:$/.test(s);
  return plain ? s : JSON.stringify(s);
}

/** ` (example: interval_seconds: 300)`, or nothing when the spec has no example. */
export function exampleSuffix(key: string, example: unknown): string {
  return example === undefined ? '' : ` (example: ${key}: ${inlineYaml(example)})`;
}

/** The first value of a mapping example: what one entry of it looks like. */
export function firstValue(example: unknown): unknown {
  return example !== null && typeof example === 'object' ? Object.values(example)[0] : undefined;
}

/** `interval_seconds: 300`, or empty when there is no example. */
export function exampleText(key: string, example: unknown): string {
  return example === undefined ? '' : `${key}: ${inlineYaml(example)}`;
}
