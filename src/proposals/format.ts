import path from 'node:path';
import { coerceField, decodeHeaderValue, encodeHeaderValue, type FieldKind } from '../core/fieldKinds.js';
import { type HeaderDoc, type HeaderSyntax, renderHeaderDoc, splitHeaderDoc } from '../core/headerLines.js';
import { SAFE_ID } from '../core/ids.js';
import { clonePlain, sameValue } from '../core/plainData.js';
import { QueueFileError } from '../core/queueFolder.js';
import { CATEGORIES, COMPLEXITIES, type Proposal, type ProposalFields, type ProposalState } from './proposal.js';

/**
 * The header-line proposal format, kept as the canonical one because people read
 * proposals: `# Proposal: <title>`, then `**Key:** value` lines, then the
 * sections. tickfleet's own fields are further `**Key:** value` lines.
 */
const KINDS: Readonly<Record<Exclude<keyof ProposalFields, 'title'>, FieldKind>> = {
  id: 'string',
  proposer: 'string',
  category: 'string',
  complexity: 'string',
  created: 'string',
  score: 'number',
  decided_at: 'string',
  decided_by: 'string',
  feedback: 'string',
  task_id: 'string',
  conflicts_with: 'list',
  run_id: 'string',
};
const FIELDS = Object.keys(KINDS) as (keyof typeof KINDS)[];
const TITLE_LINE = /^# Proposal:[ \t]*(.*?)[ \t]*$/;

/** `**Task ID:**` ↔ task_id. */
export const PROPOSAL_HEADER_SYNTAX: HeaderSyntax = {
  parse(line) {
    const m = /^\*\*([A-Za-z][A-Za-z0-9 _-]*?):\*\*(?:[ \t]+(.*))?$/.exec(line);
    return m
      ? { field: m[1]!.trim().toLowerCase().replace(/[ -]+/g, '_'), label: m[1]!, value: m[2] ?? '' }
      : undefined;
  },
  label: (field) =>
    field
      .split('_')
      .map((w) => (w === 'id' ? 'ID' : w.charAt(0).toUpperCase() + w.slice(1)))
      .join(' '),
  format: (label, value) => `**${label}:**${value === '' ? '' : ` ${value}`}`,
};

class ProposalSource {
  constructor(
    readonly text: string,
    readonly doc: HeaderDoc,
    readonly baseline: ProposalFields,
  ) {}
  toJSON(): undefined {
    return undefined;
  }
}

export function parseProposal(text: string, file: string, state: ProposalState): Proposal {
  const doc = splitHeaderDoc(text, PROPOSAL_HEADER_SYNTAX);
  const title = TITLE_LINE.exec(doc.first.text);
  if (!title)
    throw new QueueFileError(
      `${file}: first line must be "# Proposal: <title>", got ${JSON.stringify(doc.first.text.slice(0, 60))}`,
    );
  const raw = new Map<string, { label: string; value: string }>();
  for (const line of doc.lines) {
    if (!line.field || !(line.field in KINDS)) continue;
    if (raw.has(line.field)) throw new QueueFileError(`${file}: **${line.label}:** appears twice; keep one line`);
    raw.set(line.field, { label: line.label!, value: line.value ?? '' });
  }
  const out: Record<string, unknown> = { title: title[1] };
  for (const field of FIELDS) {
    const line = raw.get(field);
    const c = coerceField(KINDS[field], line === undefined ? undefined : decodeHeaderValue(KINDS[field], line.value));
    const label = line?.label ?? PROPOSAL_HEADER_SYNTAX.label(field);
    if (!c.ok)
      throw new QueueFileError(`${file}: **${label}:** must be ${c.expected}, got ${JSON.stringify(line?.value)}`);
    out[field] = c.value;
  }
  const fields = validate(out as unknown as ProposalFields, file);
  return {
    ...clonePlain(fields),
    body: doc.body,
    state,
    file,
    source: new ProposalSource(text, doc, clonePlain(fields)),
  };
}

function validate(f: ProposalFields, file: string): ProposalFields {
  const fail = (what: string): never => {
    throw new QueueFileError(`${file}: ${what}`);
  };
  if (!f.title) fail('the "# Proposal:" line has no title');
  if (!f.id) fail('**ID:** is missing');
  if (!SAFE_ID.test(f.id)) fail(`**ID:** ${JSON.stringify(f.id)} is not a valid id (letters, digits, '-', '_')`);
  if (f.id !== path.basename(file, '.md'))
    fail(`**ID:** ${f.id} does not match the file name (expected ${path.basename(file, '.md')})`);
  if (!f.proposer) fail('**Proposer:** is missing');
  if (!CATEGORIES.includes(f.category))
    fail(`**Category:** must be one of ${CATEGORIES.join(', ')}, got ${JSON.stringify(f.category ?? '')}`);
  if (!COMPLEXITIES.includes(f.complexity))
    fail(`**Complexity:** must be one of ${COMPLEXITIES.join(', ')}, got ${JSON.stringify(f.complexity ?? '')}`);
  return f;
}

/** The file text; an unchanged proposal gives back its exact bytes, unknown lines stay. */
export function serializeProposal(p: Proposal): string {
  const source = p.source instanceof ProposalSource ? p.source : undefined;
  if (source) {
    const changed = FIELDS.filter((f) => !sameValue(p[f], source.baseline[f]));
    const titleChanged = p.title !== source.baseline.title;
    if (changed.length === 0 && !titleChanged && p.body === source.doc.body) return source.text;
    return renderHeaderDoc(source.doc, PROPOSAL_HEADER_SYNTAX, {
      first: titleChanged ? `# Proposal: ${p.title}` : undefined,
      fields: new Map(changed.map((f) => [f, encode(f, p[f])])),
      body: p.body,
    });
  }
  const lines = FIELDS.map((f) => [f, encode(f, p[f])] as const)
    .filter(([, v]) => v !== undefined)
    .map(([f, v]) => PROPOSAL_HEADER_SYNTAX.format(PROPOSAL_HEADER_SYNTAX.label(f), v!));
  return `# Proposal: ${p.title}\n\n${lines.join('\n')}\n${p.body}`;
}

function encode(field: keyof typeof KINDS, value: unknown): string | undefined {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  return encodeHeaderValue(KINDS[field], value);
}
