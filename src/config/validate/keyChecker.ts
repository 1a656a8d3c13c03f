import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ConfigProblem } from '../agentsConfig.js';
import { exampleSuffix, exampleText, expectation, firstValue, inlineYaml, shown } from '../keys/describe.js';
import { inRange, type ListSpec, type MapSpec, type ObjectSpec, type ScalarSpec, type Spec } from '../keys/spec.js';
import { nearest } from '../keys/suggest.js';
import type { ParsedYaml } from '../parse.js';
import { keyOf, mergedPairs } from './yamlPairs.js';

/** Where a value sits: its dotted path, its line, and the example shown after a problem with it. */
interface Where {
  path: string;
  line: number | undefined;
  /** `interval_seconds: 300`; empty when the spec has none. */
  example: string;
}

/** A value that failed its check (the problem is recorded); never reaches the resolved config. */
const INVALID = Symbol('invalid');

/**
 * Checks a parsed agents.yaml against the key table, collecting every problem
 * rather than stopping at the first, and returns the plain value with the
 * table's defaults filled in. Invalid values are left out of the result.
 */
export class KeyChecker {
  readonly problems: ConfigProblem[] = [];
  /** Line of every path seen, for the cross-field rules that run afterwards. */
  readonly lines = new Map<string, number>();

  constructor(private readonly parsed: ParsedYaml) {}

  root(spec: ObjectSpec): Record<string, unknown> {
    const contents = this.parsed.doc.contents;
    if (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value === null)) {
      const got = shown(isScalar(contents) ? contents.value : isSeq(contents) ? [] : {});
      // Most often an agent entry pasted at the top level, without `agents:` above it.
      this.problem(
        { path: '', line: this.lineOf(contents) ?? 1, example: '' },
        `the file must be a mapping of keys (${Object.keys(spec.fields).slice(0, 3).join(', ')}, ..., agents), got ${got}; agent entries go under \`agents:\``,
      );
      return {};
    }
    const value = this.check(contents, spec, { path: '', line: 1, example: '' });
    return value === INVALID ? {} : (value as Record<string, unknown>);
  }

  private lineOf(node: Node | null | undefined): number | undefined {
    return node?.range ? this.parsed.lineAt(node.range[0]) : undefined;
  }

  private problem(where: Where, message: string): typeof INVALID {
    this.problems.push({ path: where.path, ...(where.line === undefined ? {} : { line: where.line }), message });
    return INVALID;
  }

  private wrong(where: Where, spec: Spec, value: unknown, hint = ''): typeof INVALID {
    return this.problem(
      where,
      `must be ${expectation(spec)}, got ${shown(value)}${hint || (where.example ? ` (example: ${where.example})` : '')}`,
    );
  }

  check(input: unknown, spec: Spec, at: Where): unknown {
    const node = (isAlias(input) ? input.resolve(this.parsed.doc) : input) as Node | null | undefined;
    const where = { ...at, line: this.lineOf(node) ?? at.line };
    if (where.line !== undefined) this.lines.set(where.path, where.line);
    const raw: unknown = isScalar(node) ? node.value : isMap(node) ? {} : isSeq(node) ? [] : null;
    // A block whose every line is commented out reads as empty, not as a mistake.
    const empty = node === null || node === undefined || (isScalar(node) && node.value === null);
    switch (spec.kind) {
      case 'object':
        if (empty) return this.defaults(spec, where);
        return isMap(node) ? this.object(node, spec, where) : this.wrong(where, spec, raw);
      case 'map':
        if (empty) return {};
        return isMap(node) ? this.map(node, spec, where) : this.wrong(where, spec, raw);
      case 'objectList':
        if (empty) return [];
        if (!isSeq(node)) return this.wrong(where, spec, raw);
        return node.items.map((item, i) => {
          const example = spec.items.example === undefined ? '' : `- ${inlineYaml(spec.items.example)}`;
          return this.check(item, spec.items, { path: `${where.path}[${i}]`, line: where.line, example });
        });
      case 'list':
        if (empty) return [];
        return isSeq(node) ? this.list(node.items, spec, where) : this.wrong(where, spec, raw);
      case 'command':
        return this.command(node, raw, spec, where);
      default:
        return this.scalar(empty ? null : raw, spec, where);
    }
  }

  /** Fields of an absent object: nested objects get their own defaults, required fields are reported. */
  private defaults(spec: ObjectSpec, where: Where): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(spec.fields)) this.absent(out, key, field, where);
    return out;
  }

  private absent(out: Record<string, unknown>, key: string, field: Spec, parent: Where): void {
    const path = join(parent.path, key);
    if (field.required) {
      this.problem(
        { path, line: parent.line, example: '' },
        `is required: ${expectation(field)}${exampleSuffix(key, field.example)}`,
      );
    } else if (field.kind === 'object') {
      out[key] = this.defaults(field, { path, line: parent.line, example: '' });
    } else if (field.default !== undefined) {
      out[key] = structuredClone(field.default);
    }
  }

  private pairsOf(node: YAMLMap, where: Where): Pair<unknown, unknown>[] {
    return mergedPairs(this.parsed.doc, node, (pair) =>
      this.problem(
        { ...where, line: this.lineOf(pair.key as Node) ?? where.line },
        'a merge (<<) must name a mapping, such as *defaults',
      ),
    );
  }

  private object(node: YAMLMap, spec: ObjectSpec, where: Where): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const known = Object.keys(spec.fields);
    const pairs = this.pairsOf(node, where);
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const key = keyOf(pair);
      const path = join(where.path, key);
      const field = spec.fields[key];
      if (!field) {
        const guess = nearest(key, known);
        const hint = guess ? `did you mean \`${guess}\`?` : `known keys here: ${known.join(', ')}`;
        this.problem({ path, line: this.lineOf(keyNode) ?? where.line, example: '' }, `unknown key (${hint})`);
        continue;
      }
      const value = this.check(pair.value, field, {
        path,
        line: this.lineOf(keyNode) ?? where.line,
        example: exampleText(key, field.example),
      });
      if (value !== INVALID) out[key] = value;
    }
    const present = new Set(pairs.map(keyOf));
    for (const [key, field] of Object.entries(spec.fields)) {
      if (!present.has(key)) this.absent(out, key, field, where);
    }
    return out;
  }

  private map(node: YAMLMap, spec: MapSpec, where: Where): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of this.pairsOf(node, where)) {
      const keyNode = pair.key as Node | null;
      const key = keyOf(pair);
      const path = join(where.path, key);
      const line = this.lineOf(keyNode) ?? where.line;
      if (spec.keyPattern && !spec.keyPattern.test(key)) {
        const [exampleKey] = Object.keys(spec.example ?? {});
        const example =
          exampleKey === undefined ? '' : ` (example: ${exampleText(exampleKey, firstValue(spec.example))})`;
        this.problem(
          { path, line, example: '' },
          `the key must be ${spec.keyExpect ?? spec.keyLabel}, got ${JSON.stringify(key)}${example}`,
        );
        continue;
      }
      const values: Spec = spec.stringify ? { ...spec.values, kind: 'string' } : spec.values;
      const example = exampleText(key, spec.values.example ?? firstValue(spec.example));
      const input = spec.stringify ? stringified(pair.value) : pair.value;
      const value = this.check(input, values, { path, line, example });
      if (value !== INVALID) out[key] = value;
    }
    return out;
  }

  private list(items: unknown[], spec: ListSpec, where: Where): unknown[] {
    const out: unknown[] = [];
    items.forEach((item, i) => {
      const value = this.check(spec.stringify ? stringified(item) : item, spec.items, {
        path: `${where.path}[${i}]`,
        line: where.line,
        example: where.example,
      });
      if (value === INVALID) return;
      if (spec.unique && out.includes(value)) {
        this.problem(
          { path: `${where.path}[${i}]`, line: this.lines.get(`${where.path}[${i}]`) ?? where.line, example: '' },
          `${shown(value)} is listed twice`,
        );
        return;
      }
      out.push(value);
    });
    return out;
  }

  private command(node: Node | null | undefined, raw: unknown, spec: Spec, where: Where): unknown {
    const words =
      typeof raw === 'string'
        ? raw.trim().split(/\s+/).filter(Boolean)
        : isSeq(node)
          ? node.items.map((i) => (isScalar(i) ? i.value : i))
          : undefined;
    if (!words || words.length === 0 || !words.every((w) => typeof w === 'string' && w !== ''))
      return this.wrong(where, spec, raw);
    return words;
  }

  private scalar(value: unknown, spec: ScalarSpec, where: Where): unknown {
    switch (spec.kind) {
      case 'boolean':
        return typeof value === 'boolean' ? value : this.wrong(where, spec, value);
      case 'integer':
      case 'number': {
        const ok =
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (spec.kind === 'number' || Number.isInteger(value)) &&
          inRange(value, spec);
        return ok ? value : this.wrong(where, spec, value);
      }
      case 'string':
        return typeof value === 'string' && value !== '' && (!spec.pattern || spec.pattern.test(value))
          ? value
          : this.wrong(where, spec, value);
      case 'enum': {
        if (typeof value === 'string' && spec.values.includes(value)) return value;
        const guess = typeof value === 'string' ? nearest(value, spec.values) : undefined;
        return this.wrong(where, spec, value, guess ? ` (did you mean \`${guess}\`?)` : '');
      }
    }
  }
}

/** Environment values: a number or a boolean is what the user meant as text. */
function stringified(node: unknown): unknown {
  if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
    return Object.assign(node.clone(), { value: String(node.source ?? node.value) });
  }
  return node;
}

export function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
