/**
 * The shape of one entry of the key table (table.ts). A spec is plain data, so
 * validation, defaults, the JSON Schema and the README key reference can all
 * be derived from the same table and never drift apart.
 */

interface SpecBase {
  /** One line, for the README key reference, the JSON Schema and `--help`-style output. */
  description: string;
  /** A valid value, shown after every problem with this key (`example: interval_seconds: 300`). */
  example?: unknown;
  /** Filled in when the key is absent. Absent and no default: the key stays undefined. */
  default?: unknown;
  /** How the key reference shows a default that is not a literal (`claude.model`, `same as proposal_defaults`). */
  defaultText?: string;
  required?: boolean;
  /** Overrides the generated "must be ..." phrase when the generated one would read badly. */
  expect?: string;
}

export interface BooleanSpec extends SpecBase {
  kind: 'boolean';
}

export interface IntegerSpec extends SpecBase {
  kind: 'integer';
  min?: number;
  max?: number;
  /** Named in messages: "a positive integer number of seconds". */
  unit?: string;
}

export interface NumberSpec extends SpecBase {
  kind: 'number';
  min?: number;
  max?: number;
  /** `min` itself is not allowed (a weight or a price greater than zero). */
  exclusiveMin?: boolean;
  unit?: string;
}

export interface StringSpec extends SpecBase {
  kind: 'string';
  pattern?: RegExp;
}

export interface EnumSpec extends SpecBase {
  kind: 'enum';
  values: readonly string[];
}

export interface ListSpec extends SpecBase {
  kind: 'list';
  items: ScalarSpec;
  unique?: boolean;
  /** Numbers accepted as items and turned into strings (lane names such as 1, 2). */
  stringify?: boolean;
}

/** A command line: a list of words, or one string split on spaces. */
export interface CommandSpec extends SpecBase {
  kind: 'command';
}

/** A mapping whose keys the user chooses (proposer names, env variables). */
export interface MapSpec extends SpecBase {
  kind: 'map';
  /** What a key names, for messages and the key reference: `<proposer>`. */
  keyLabel: string;
  keyPattern?: RegExp;
  /** What a key must look like, for messages: `an agent name: lowercase letters, ...`. */
  keyExpect?: string;
  values: Spec;
  /** Scalars accepted and turned into strings (environment values). */
  stringify?: boolean;
}

export interface ObjectSpec extends SpecBase {
  kind: 'object';
  fields: Readonly<Record<string, Spec>>;
  /** The key reference shows this object as one row instead of one row per field. */
  summarise?: boolean;
}

export interface ObjectListSpec extends SpecBase {
  kind: 'objectList';
  items: ObjectSpec;
}

export type ScalarSpec = BooleanSpec | IntegerSpec | NumberSpec | StringSpec | EnumSpec;
export type Spec = ScalarSpec | ListSpec | CommandSpec | MapSpec | ObjectSpec | ObjectListSpec;

/** The same fields with every default removed: a per-agent block that overrides a fleet-wide one. */
export function withoutDefaults(spec: ObjectSpec, defaultPrefix: string, description: string): ObjectSpec {
  const fields: Record<string, Spec> = {};
  for (const [key, field] of Object.entries(spec.fields)) {
    const { default: _dropped, defaultText: _text, ...rest } = field;
    fields[key] = { ...rest, defaultText: `\`${defaultPrefix}.${key}\`` } as Spec;
  }
  const { default: _d, ...rest } = spec;
  return { ...rest, fields, description, defaultText: `the fleet-wide \`${defaultPrefix}.*\``, summarise: true };
}

/** Is `n` within the spec's bounds? */
export function inRange(n: number, spec: { min?: number; max?: number; exclusiveMin?: boolean }): boolean {
  if (spec.min !== undefined && (spec.exclusiveMin ? n <= spec.min : n < spec.min)) return false;
  return spec.max === undefined || n <= spec.max;
}
