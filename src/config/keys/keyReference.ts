import { expectation, inlineYaml } from './describe.js';
import type { Spec } from './spec.js';
import { CONFIG_SPEC } from './table.js';

/**
 * The key reference for users, rendered from the key table: one row per key
 * (key, default, meaning). docs/config-keys.md holds it, and README.md between
 * the markers below once it has them.
 */

export const KEY_REFERENCE_START = '<!-- config-keys:start -->';
export const KEY_REFERENCE_END = '<!-- config-keys:end -->';

export interface KeyRow {
  key: string;
  default: string;
  meaning: string;
}

export function keyRows(): KeyRow[] {
  return rowsOf('', CONFIG_SPEC, true);
}

function rowsOf(key: string, spec: Spec, top = false): KeyRow[] {
  if (spec.kind === 'object' && !spec.summarise) {
    return Object.entries(spec.fields).flatMap(([k, field]) => rowsOf(top ? k : `${key}.${k}`, field));
  }
  if (spec.kind === 'objectList') return rowsOf(`${key}[]`, { ...spec.items, summarise: false });
  if (spec.kind === 'map' && spec.values.kind === 'object') return rowsOf(`${key}.${spec.keyLabel}`, spec.values);
  if (spec.kind === 'map' && Object.keys((spec.default as object | undefined) ?? {}).length === 0) {
    return [{ key: `${key}.${spec.keyLabel}`, default: '—', meaning: meaning(spec, spec.values) }];
  }
  return [{ key: spec.kind === 'object' ? `${key}.*` : key, default: defaultOf(spec), meaning: meaning(spec) }];
}

function defaultOf(spec: Spec): string {
  if (spec.required) return 'required';
  if (spec.default !== undefined) return `\`${inlineYaml(spec.default)}\``;
  return spec.defaultText ?? '—';
}

function meaning(spec: Spec, valueSpec: Spec = spec): string {
  const allowed = spec.kind === 'object' ? '' : ` ${capitalise(expectation(valueSpec))}.`;
  return `${spec.description}${allowed}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The rows as a markdown table. */
export function renderKeyTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| Key | Default | Meaning |', '| --- | --- | --- |'];
  for (const row of keyRows()) lines.push(`| \`${cell(row.key)}\` | ${cell(row.default)} | ${cell(row.meaning)} |`);
  return `${lines.join('\n')}\n`;
}

/** docs/config-keys.md: a title, where it comes from, and the table. */
export function renderKeyReferenceDoc(): string {
  return [
    '# agents.yaml keys',
    '',
    'Every key of `.orchestrator/agents.yaml`. Unknown keys and bad values stop the',
    'fleet with the file, line, key, the allowed values and an example;',
    '`tickfleet config check` lists every problem at once.',
    '',
    '<!-- Generated from src/config/keys/table.ts: run `npm run build && node dist/config/keys/writeSchema.js`. -->',
    '',
    renderKeyTable(),
  ].join('\n');
}

/** README text with the table between the markers replaced; undefined when it has no markers. */
export function withKeyTable(readme: string): string | undefined {
  const start = readme.indexOf(KEY_REFERENCE_START);
  const end = readme.indexOf(KEY_REFERENCE_END);
  if (start === -1 || end < start) return undefined;
  return `${readme.slice(0, start + KEY_REFERENCE_START.length)}\n${renderKeyTable()}${readme.slice(end)}`;
}
