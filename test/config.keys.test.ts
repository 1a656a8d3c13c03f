import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Spec } from '../src/config/keys/spec.js';
import { editDistance, nearest } from '../src/config/keys/suggest.js';
import { CONFIG_SPEC } from '../src/config/keys/table.js';
import { formatProblem, validateConfig } from '../src/config/validate/validate.js';

/** Every key of the table with its spec, as a path of map keys (`agents` means "inside one agent"). */
function leaves(spec: Spec, path: string[] = []): { path: string[]; spec: Spec }[] {
  if (spec.kind === 'object' && !spec.summarise)
    return Object.entries(spec.fields).flatMap(([k, f]) => leaves(f, [...path, k]));
  if (spec.kind === 'objectList') return leaves(spec.items, path);
  return [{ path, spec }];
}

/** A file holding `value` at `path`; keys inside an agent go into a proposer that is otherwise complete. */
function fileWith(path: string[], value: unknown): string {
  const inAgent = path[0] === 'agents';
  const keys = inAgent ? path.slice(1) : path;
  const nested = keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
  const base = { model: 'proposal', agents: [{ name: 'c', role: 'curator' }] };
  if (!inAgent) return stringify({ ...base, ...nested });
  return stringify({
    ...base,
    agents: [...base.agents, { name: 'p', role: 'proposer', focus: 'features', ...nested }],
  });
}

const problemsOf = (text: string) =>
  validateConfig(text, 'agents.yaml').problems.map((p) => formatProblem(p, 'agents.yaml'));

describe('the key table', () => {
  const all = leaves(CONFIG_SPEC);

  it('describes every key and gives an example of it', () => {
    const missing = all
      .filter(({ spec }) => !spec.description || spec.example === undefined)
      .map(({ path }) => path.join('.'));
    expect(missing).toEqual([]);
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all.map(({ path, spec }) => [path.join('.'), path, spec] as const))(
    'the example of %s is valid',
    (_name, path, spec) => {
      expect(problemsOf(fileWith(path, spec.example))).toEqual([]);
    },
  );

  it('writing every default out explicitly changes nothing', () => {
    const withDefaults = all.filter(({ spec }) => spec.default !== undefined && spec.kind !== 'objectList');
    let doc: Record<string, unknown> = {};
    for (const { path, spec } of withDefaults.filter(({ path }) => path[0] !== 'agents')) {
      let at = doc;
      for (const key of path.slice(0, -1)) {
        at[key] ??= {};
        at = at[key] as Record<string, unknown>;
      }
      at[path[path.length - 1]!] = spec.default;
    }
    const agent: Record<string, unknown> = { name: 'a', role: 'tester' };
    for (const { path, spec } of withDefaults.filter(({ path }) => path[0] === 'agents'))
      agent[path[1]!] = spec.default;
    doc = { ...doc, agents: [agent] };
    const explicit = validateConfig(stringify(doc), 'agents.yaml');
    const implicit = validateConfig('agents:\n  - {name: a, role: tester}\n', 'agents.yaml');
    expect(explicit.problems).toEqual([]);
    expect({ ...explicit.config, agents: [] }).toEqual({ ...implicit.config, agents: [] });
    expect({ ...explicit.config!.agents[0], line: 0 }).toEqual({ ...implicit.config!.agents[0], line: 0 });
  });
});

describe('typo suggestions', () => {
  it.each([
    ['interval_seconds', 'interval_seconds', 0],
    ['intervall_seconds', 'interval_seconds', 1],
    ['intreval_seconds', 'interval_seconds', 1],
    ['max_claimd', 'max_claimed', 1],
    ['pasued', 'paused', 1],
    ['model', 'focus', 4],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each([
    ['intervall_seconds', 'interval_seconds'],
    ['Interval-Seconds', 'interval_seconds'],
    ['interval', 'interval_seconds'],
    ['pasued', 'paused'],
    ['rol', 'role'],
    ['colour', undefined],
    ['xyz', undefined],
  ])('nearest(%s) = %s', (word, expected) => {
    expect(nearest(word, ['name', 'role', 'interval_seconds', 'paused', 'focus'])).toBe(expected);
  });
});
