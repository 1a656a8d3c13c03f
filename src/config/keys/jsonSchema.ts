import { CHECK_NAMES } from '../vocabulary.js';
import { expectation } from './describe.js';
import type { ObjectSpec, Spec } from './spec.js';
import { CONFIG_SPEC } from './table.js';

type Schema = Record<string, unknown>;

/**
 * The JSON Schema of agents.yaml (draft-07, which editors' YAML language
 * servers support best), derived from the key table. It is committed as
 * schema/agents.schema.json; agents.yaml names it on its first line so editors
 * complete keys and flag mistakes while typing. Cross-key rules an editor
 * cannot express (unique names, limits against each other) stay in validate/rules.ts.
 */
export function configJsonSchema(): Schema {
  const { type: _nullable, ...root } = schemaOf(CONFIG_SPEC);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'tickfleet agents.yaml',
    type: 'object',
    ...root,
  };
}

/** The schema file's text: stable key order, two-space indent, final newline. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

function schemaOf(spec: Spec): Schema {
  return { ...annotations(spec), ...shape(spec) };
}

function annotations(spec: Spec): Schema {
  const description = spec.defaultText ? `${spec.description} Default: ${spec.defaultText}.` : spec.description;
  return {
    description: spec.kind === 'object' ? description : `${description} Must be ${expectation(spec)}.`,
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(spec.example === undefined ? {} : { examples: [spec.example] }),
  };
}

function shape(spec: Spec): Schema {
  switch (spec.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
    case 'number':
      return {
        type: spec.kind,
        ...(spec.min === undefined
          ? {}
          : spec.kind === 'number' && spec.exclusiveMin
            ? { exclusiveMinimum: spec.min }
            : { minimum: spec.min }),
        ...(spec.max === undefined ? {} : { maximum: spec.max }),
      };
    case 'string':
      return { type: 'string', minLength: 1, ...(spec.pattern ? { pattern: spec.pattern.source } : {}) };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'list':
      return {
        type: ['array', 'null'],
        items: spec.stringify ? { type: ['string', 'number'] } : shape(spec.items),
        ...(spec.unique ? { uniqueItems: true } : {}),
      };
    case 'command':
      return {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      };
    case 'map':
      return {
        type: ['object', 'null'],
        ...(spec.keyPattern ? { propertyNames: { pattern: spec.keyPattern.source } } : {}),
        additionalProperties: spec.stringify ? { type: ['string', 'number', 'boolean'] } : schemaOf(spec.values),
      };
    case 'object':
      return objectShape(spec);
    case 'objectList':
      return { type: ['array', 'null'], items: { ...schemaOf(spec.items), type: 'object', allOf: focusRules() } };
  }
}

function objectShape(spec: ObjectSpec): Schema {
  const required = Object.entries(spec.fields).flatMap(([key, field]) => (field.required ? [key] : []));
  return {
    // An empty block (every line commented out) reads as null and means "all defaults".
    type: ['object', 'null'],
    properties: Object.fromEntries(Object.entries(spec.fields).map(([key, field]) => [key, schemaOf(field)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** Focus is required for proposers and gatekeepers, and a gatekeeper's is a check name. */
function focusRules(): Schema[] {
  const when = (role: string) => ({ properties: { role: { const: role } }, required: ['role'] });
  return [
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a thenable.
    { if: when('proposer'), then: { required: ['focus'] } },
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a thenable.
    { if: when('gatekeeper'), then: { required: ['focus'], properties: { focus: { enum: [...CHECK_NAMES] } } } },
  ];
}
