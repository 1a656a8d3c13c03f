import { describe, expect, it } from 'vitest';
import { isMap, type YAMLMap } from 'yaml';
import { appendListItem, removeListItem, setScalarIn } from '../src/config/edit/yamlOps.js';
import { renderScalar } from '../src/config/edit/yamlText.js';
import { parseYaml } from '../src/config/parse.js';

const set = (text: string, path: string[], value: string | number | boolean) =>
  setScalarIn(parseYaml(text), path, value);
const append = (text: string) => appendListItem(parseYaml(text), 'agents', { name: 'new', role: 'tester' });
const remove = (text: string, index: number) => removeListItem(parseYaml(text), 'agents', index);

describe('setScalarIn', () => {
  it.each([
    [
      'replaces a value and keeps the comment column',
      'a:\n  max: 10   # note\n',
      ['a', 'max'],
      5,
      'a:\n  max: 5    # note\n',
    ],
    [
      'keeps at least one space before a comment',
      'a:\n  max: 1 # note\n',
      ['a', 'max'],
      1000,
      'a:\n  max: 1000 # note\n',
    ],
    ['fills an empty value after the colon', 'paused:\nmodel: task\n', ['paused'], true, 'paused: true\nmodel: task\n'],
    [
      'adds a key after the last one of its mapping',
      'q:\n  a: 1\n  b: 2\n\nz: 1\n',
      ['q', 'c'],
      3,
      'q:\n  a: 1\n  b: 2\n  c: 3\n\nz: 1\n',
    ],
    ['adds a section, set off by a blank line', 'model: task\n', ['q', 'c'], 3, 'model: task\n\nq:\n  c: 3\n'],
    ['writes into an empty file', '', ['paused'], true, 'paused: true\n'],
    ['writes into a file of comments only', '# hello\n', ['paused'], true, '# hello\n\npaused: true\n'],
    ['copes with a file without a final newline', 'model: task', ['paused'], true, 'model: task\n\npaused: true\n'],
    [
      'fills a section whose lines are commented out',
      'q:\n#  c: 1\nz: 1\n',
      ['q', 'c'],
      2,
      'q:\n  c: 2\n#  c: 1\nz: 1\n',
    ],
    ['replaces an empty {}', 'q: {}  # none yet\nz: 1\n', ['q', 'c'], 2, 'q:  # none yet\n  c: 2\nz: 1\n'],
    ['follows the indentation the file uses', 'a:\n    x: 1\n', ['b', 'c'], 2, 'a:\n    x: 1\n\nb:\n    c: 2\n'],
    ['quotes a string YAML would read as something else', 'a: 1\n', ['a'], 'yes', 'a: "yes"\n'],
  ])('%s', (_what, text, path, value, expected) => {
    expect(set(text, path, value)).toBe(expected);
  });

  it('sets a key inside a given mapping (one agent)', () => {
    const parsed = parseYaml('agents:\n  - name: a\n    role: tester\n  - name: b\n    role: tester\n');
    const second = parsed.doc.getIn(['agents', 1], true) as YAMLMap;
    expect(isMap(second)).toBe(true);
    expect(setScalarIn(parsed, ['paused'], true, second, 'agents[1]')).toBe(
      'agents:\n  - name: a\n    role: tester\n  - name: b\n    role: tester\n    paused: true\n',
    );
  });

  it.each([
    ['q: {a: 1}  # c\n', 'q: {a: 1, b: 2}  # c\n'],
    ['q: { a: 1 }\n', 'q: { a: 1, b: 2 }\n'],
    ['q: {a: 1,}\n', 'q: {a: 1, b: 2}\n'],
    ['q: {\n  a: 1\n}\n', 'q: {\n  a: 1, b: 2\n}\n'],
  ])('adds a key to a flow mapping in place: %j', (text, expected) => {
    expect(set(text, ['q', 'b'], 2)).toBe(expected);
    expect(set(text, ['q', 'a'], 5)).toBe(text.replace('1', '5'));
  });

  it('refuses to nest a block in a flow mapping, or to rewrite a collection as a scalar', () => {
    expect(() => set('q: {a: 1}\n', ['q', 'b', 'c'], 2)).toThrow(
      'cannot edit `q`: it is written in flow style ({...}); rewrite it one entry per line, or edit it by hand',
    );
    expect(() => set('q:\n  a: [1]\n', ['q', 'a'], 2)).toThrow(
      'cannot set `q.a`: it holds a list, not a single value; edit it by hand',
    );
    expect(() => set('- a\n', ['q'], 2)).toThrow(
      'cannot edit agents.yaml: its top level is not a mapping written one key per line',
    );
    expect(() => append('agents: [{name: a, role: tester}]\n')).toThrow(
      'cannot edit `agents`: it is written in flow style ([...]); rewrite it one entry per line, or edit it by hand',
    );
  });
});

describe('appendListItem', () => {
  it.each([
    [
      'follows blank-line spacing between items',
      'agents:\n  - name: a\n    role: tester\n\n  - name: b\n    role: tester\n# end\n',
      'agents:\n  - name: a\n    role: tester\n\n  - name: b\n    role: tester\n\n  - name: new\n    role: tester\n# end\n',
    ],
    [
      'follows tight spacing',
      'agents:\n- name: a\n  role: tester\n- name: b\n  role: tester\n',
      'agents:\n- name: a\n  role: tester\n- name: b\n  role: tester\n- name: new\n  role: tester\n',
    ],
    ['fills `agents: []`', 'model: task\nagents: []\n', 'model: task\nagents:\n  - name: new\n    role: tester\n'],
    ['fills an empty `agents:`', 'agents:\n# none yet\n', 'agents:\n  - name: new\n    role: tester\n# none yet\n'],
    ['adds the list when there is none', 'model: task\n', 'model: task\n\nagents:\n  - name: new\n    role: tester\n'],
    ['writes into an empty file', '', 'agents:\n  - name: new\n    role: tester\n'],
  ])('%s', (_what, text, expected) => {
    expect(append(text)).toBe(expected);
  });
});

describe('removeListItem', () => {
  const three =
    'agents:\n  # first\n  - name: a\n    role: tester\n\n  - name: b\n    role: tester\n    # about b\n\n  - name: c\n    role: tester\n\n# after\n';
  it.each([
    [0, 'agents:\n  - name: b\n    role: tester\n    # about b\n\n  - name: c\n    role: tester\n\n# after\n'],
    [1, 'agents:\n  # first\n  - name: a\n    role: tester\n\n  - name: c\n    role: tester\n\n# after\n'],
    [
      2,
      'agents:\n  # first\n  - name: a\n    role: tester\n\n  - name: b\n    role: tester\n    # about b\n\n# after\n',
    ],
  ])('removes item %i with its comments and one separating blank line', (index, expected) => {
    expect(remove(three, index)).toBe(expected);
  });

  it('leaves `agents: []` when the last agent goes, keeping a comment on the key', () => {
    expect(remove('agents:   # the fleet\n  - name: a\n    role: tester\nmodel: task\n', 0)).toBe(
      'agents: []  # the fleet\nmodel: task\n',
    );
    expect(remove('agents:\n  - {name: a, role: tester}\n', 0)).toBe('agents: []\n');
  });
});

describe('renderScalar', () => {
  it.each([
    ['impl-agent-2', 'impl-agent-2'],
    ['true', '"true"'],
    ['300', '"300"'],
    ['a: b', '"a: b"'],
    [300, '300'],
    [false, 'false'],
  ])('%j → %s', (value, text) => {
    expect(renderScalar(value)).toBe(text);
  });
});
