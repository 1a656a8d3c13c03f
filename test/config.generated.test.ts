import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, renderJsonSchema } from '../src/config/keys/jsonSchema.js';
import {
  KEY_REFERENCE_END,
  KEY_REFERENCE_START,
  keyRows,
  renderKeyReferenceDoc,
  renderKeyTable,
  withKeyTable,
} from '../src/config/keys/keyReference.js';
import { CONFIG_SPEC } from '../src/config/keys/table.js';
import { writeGeneratedConfigFiles } from '../src/config/keys/writeSchema.js';
import { tempDir } from './helpers/tmp.js';

const REGENERATE = 'run `npm run build && node dist/config/keys/writeSchema.js` to regenerate it';
const committed = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '(missing)');

describe('files generated from the key table are current', () => {
  it('schema/agents.schema.json', () => {
    expect(committed('schema/agents.schema.json'), `schema/agents.schema.json is out of date: ${REGENERATE}`).toBe(
      renderJsonSchema(),
    );
  });

  it('docs/config-keys.md, and README.md once it has the config-keys markers', () => {
    expect(committed('docs/config-keys.md'), `docs/config-keys.md is out of date: ${REGENERATE}`).toBe(
      renderKeyReferenceDoc(),
    );
    const readme = readFileSync('README.md', 'utf8');
    const updated = withKeyTable(readme);
    if (updated !== undefined) expect(readme, `the key table in README.md is out of date: ${REGENERATE}`).toBe(updated);
  });
});

describe('the JSON Schema', () => {
  const schema = configJsonSchema() as {
    $schema: string;
    properties: Record<
      string,
      {
        properties?: object;
        additionalProperties?: unknown;
        items?: { required?: string[]; additionalProperties?: unknown; properties?: Record<string, unknown> };
      }
    >;
    additionalProperties: unknown;
  };

  it('is draft-07 with one property per top-level key and no others', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(Object.keys(CONFIG_SPEC.fields));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.queue_limits!.additionalProperties).toBe(false);
  });

  it('requires name and role of every agent and carries defaults, enums and descriptions', () => {
    const agent = schema.properties.agents!.items!;
    expect(agent.required).toEqual(['name', 'role']);
    expect(agent.additionalProperties).toBe(false);
    expect(agent.properties!.interval_seconds).toMatchObject({
      type: 'integer',
      minimum: 1,
      default: 300,
      description: 'Minimum time between two starts of this agent. Must be a positive integer number of seconds.',
    });
    expect(agent.properties!.role).toMatchObject({
      enum: expect.arrayContaining(['implementer', 'gatekeeper_coordinator']),
    });
    expect(agent.properties!.name).toMatchObject({ pattern: '^[a-z0-9][a-z0-9_-]*$' });
  });
});

describe('the key reference', () => {
  it('has one row per key with its default and meaning', () => {
    const rows = keyRows();
    expect(rows.find((r) => r.key === 'agents[].interval_seconds')).toEqual({
      key: 'agents[].interval_seconds',
      default: '`300`',
      meaning: 'Minimum time between two starts of this agent. A positive integer number of seconds.',
    });
    expect(rows.find((r) => r.key === 'agents[].name')?.default).toBe('required');
    expect(rows.find((r) => r.key === 'proposal_limits.<proposer>.max_active')?.default).toBe(
      '`proposal_defaults.max_active`',
    );
    expect(rows.find((r) => r.key === 'budgets.fleet_daily_usd')?.default).toBe('—');
    expect(renderKeyTable().split('\n')[0]).toBe('| Key | Default | Meaning |');
  });

  it('is written between the README markers, replacing what was there', () => {
    const readme = `# x\n\n${KEY_REFERENCE_START}\nold table\n${KEY_REFERENCE_END}\n\nmore\n`;
    expect(withKeyTable(readme)).toBe(
      `# x\n\n${KEY_REFERENCE_START}\n${renderKeyTable()}${KEY_REFERENCE_END}\n\nmore\n`,
    );
    expect(withKeyTable('# no markers\n')).toBeUndefined();
  });
});

describe('writeGeneratedConfigFiles', () => {
  it('writes what is out of date and nothing else', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'README.md'), `${KEY_REFERENCE_START}\n${KEY_REFERENCE_END}\n`);
    expect(await writeGeneratedConfigFiles(root)).toEqual([
      path.join('schema', 'agents.schema.json'),
      path.join('docs', 'config-keys.md'),
      'README.md',
    ]);
    expect(readFileSync(path.join(root, 'schema', 'agents.schema.json'), 'utf8')).toBe(renderJsonSchema());
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(
      `${KEY_REFERENCE_START}\n${renderKeyTable()}${KEY_REFERENCE_END}\n`,
    );
    expect(await writeGeneratedConfigFiles(root)).toEqual([]);
  });
});
