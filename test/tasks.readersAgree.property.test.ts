import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueFileError } from '../src/core/queueFolder.js';
import { parseTask } from '../src/tasks/format.js';
import { type Lifecycle, taskLifecycle } from '../src/tasks/lifecycle.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { pack, unpack } from '../src/tasks/queueIndex/model.js';
import { countTask, pick, summarizeTask, type TaskSummary } from '../src/tasks/scan.js';
import { DELIVERY_STAGES } from '../src/tasks/stage.js';
import { HAND_WRITTEN, SEED_TASK, tempLayout, writeRaw } from './fixtures/tasks/project.js';

// A failure prints its seed and path; FC_SEED=<seed> reruns it.
const SEED = Number(process.env.FC_SEED ?? 20_261_202);
const RUNS = Number(process.env.FC_RUNS ?? 600);

/** What the full parse says of a file: its summary, or why it rejects it. */
function fullRead(text: string, id: string): TaskSummary | { rejected: string } {
  try {
    return pick(parseTask(text, path.join('/q/incoming', `${id}.md`), 'incoming'));
  } catch (err) {
    if (err instanceof QueueFileError) return { rejected: err.message };
    throw err;
  }
}

/**
 * A rejection for a field the fast reader reads (or a wrong id in the title
 * line): it must not answer for such a file. Rejections for other fields
 * (title, attempts, lease, dates, YAML elsewhere in the file) are not its to
 * find: the full read of a claim quarantines those files.
 */
const SUMMARY_FIELD_REJECTION =
  /: (?:the title line's id|id|role|ROLE|priority|PRIORITY|expedite|EXPEDITE|blocked_by|BLOCKED_BY|stage|STAGE|cancelled_at|CANCELLED_AT) (?!must be an ISO)/;
const COUNT_FIELD_REJECTION =
  /: (?:role|ROLE|blocked_by|BLOCKED_BY|stage|STAGE|cancelled_at|CANCELLED_AT) (?!must be an ISO)/;

/**
 * The fast reader may decline (the full parse then runs); when it answers,
 * it gives the full parse's answer, or the full parse rejects the file for
 * a field the fast reader does not read. The same for the counting read.
 */
function expectAgreement(text: string, id: string, partial = false, whole = text): boolean {
  const full = fullRead(whole, id);
  const counted = countTask(text, partial);
  if (counted !== undefined) {
    if ('rejected' in full) expect(full.rejected).not.toMatch(COUNT_FIELD_REJECTION);
    else
      expect(counted).toEqual({
        role: full.role,
        blocked_by: full.blocked_by,
        stage: full.stage,
        cancelled_at: full.cancelled_at,
      });
  }
  const fast = summarizeTask(text, id, partial);
  if (fast === undefined) return false;
  if ('rejected' in full) expect(full.rejected).not.toMatch(SUMMARY_FIELD_REJECTION);
  else {
    expect(fast).toEqual(full);
    // The queue index keeps the summary packed on disk: read back, it is the same.
    const stored = JSON.parse(JSON.stringify(pack('incoming', { k: 'key', s: fast })));
    expect(unpack(`${id}.md`, stored)?.s).toEqual(full);
  }
  return true;
}

// ---- generators -------------------------------------------------------------

const hex8 = fc.stringMatching(/^[0-9a-f]{8}$/);
const taskId = hex8.map((h) => `TASK-${h}`);
const isoTime = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.000Z$/, 'Z'));
/** Text people put in titles and unknown fields: quotes, colons, '#', brackets, unicode, a no-break space. */
const oddText = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom('fix', 'the', 'login', 'test', 'it', 'a', 'B', '2', 'x-y', 'snake_case'),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ' ',
          ' ',
          ' ',
          ': ',
          ':',
          ' #',
          '#',
          "'",
          '"',
          "it's",
          '[x]',
          '{y}',
          ', ',
          ' - ',
          '\t',
          '|',
          '>',
          '&',
          '*',
          '!',
          '%',
          '@',
          '`',
          '?',
          '~',
        ),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'é',
          'ß',
          'Ω',
          '日本',
          '🙂',
          '\u00a0',
          'naïve',
          'null',
          'true',
          '42',
          '1.5',
          '0x1F',
          'yes',
        ),
      },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''));
/** Mostly words; now and then the odd text. */
const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('Fix the login test', 'a', 'Add input validation', 'x-y z', 'über naïve', '日本 🙂'),
  },
  { weight: 1, arbitrary: oddText },
);
/** Mostly one value; now and then one of the others (often invalid). */
const mostly = <T>(usual: T, ...others: T[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
const role = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('implement', 'test', 'review', 'gatekeeper') },
  { weight: 1, arbitrary: oddText },
);
const priority = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom('P0', 'P1', 'P2', 'P3') },
  { weight: 1, arbitrary: fc.constantFrom('P9', 'p1', 'high', '1') },
);
/** A done task's delivery stage: mostly one of them, now and then a word the full parse rejects. */
const stage = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...DELIVERY_STAGES) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'shipped',
      'In_Review',
      'merged!',
      'finished',
      'queued',
      '42',
      'true',
      'null',
      '~',
      "it's",
    ),
  },
  { weight: 1, arbitrary: oddText },
);
/** A failed task's cancellation time: mostly a time, now and then not one. */
const cancelledAt = fc.oneof(
  { weight: 8, arbitrary: isoTime },
  { weight: 1, arbitrary: fc.constantFrom('yesterday', '', 'null', '2026') },
);

interface Model {
  id: string;
  fileId: string;
  title?: string;
  role?: string;
  priority?: string;
  created?: string;
  created_by?: string;
  expedite?: string;
  not_before?: string;
  stage?: string;
  stage_at?: string;
  cancelled_at?: string;
  blocked_by: string[];
  attempts?: string;
  max_attempts?: string;
  lease?: Record<string, string>;
  result?: Record<string, string>;
  extra: [string, string][];
}

const model: fc.Arbitrary<Model> = fc
  .record(
    {
      id: taskId,
      otherId: fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: taskId }),
      title: fc.option(text, { freq: 15 }),
      role: fc.option(role, { freq: 15 }),
      priority: fc.option(priority, { freq: 3 }),
      created: fc.option(
        fc.oneof(
          { weight: 8, arbitrary: isoTime },
          { weight: 1, arbitrary: fc.constantFrom('yesterday', '2026-13-45') },
        ),
        { freq: 3 },
      ),
      created_by: fc.option(fc.constantFrom('pm', 'alice', 'reviewer-1'), { freq: 2 }),
      expedite: fc.option(fc.oneof(fc.constantFrom('true', 'false', 'True', 'FALSE'), mostly('false', 'yes', '1')), {
        freq: 2,
      }),
      not_before: fc.option(isoTime, { freq: 2 }),
      stage: fc.option(stage, { freq: 2 }),
      stage_at: fc.option(isoTime, { freq: 2 }),
      cancelled_at: fc.option(cancelledAt, { freq: 3 }),
      blocked_by: fc.array(
        fc.oneof(
          { weight: 12, arbitrary: taskId },
          { weight: 1, arbitrary: fc.constantFrom('42', 'null', 'a b', 'TASK-ü') },
        ),
        { maxLength: 3 },
      ),
      attempts: fc.option(fc.oneof(fc.constantFrom('0', '1', '2'), mostly('1', '-1', 'x', '1.5')), { freq: 3 }),
      max_attempts: fc.option(mostly('3', '5', '0'), { freq: 3 }),
      lease: fc.option(
        fc
          .record({
            holder: fc.constantFrom('impl-1', "o'brien", 'ü'),
            token: hex8,
            acquired_at: isoTime,
            expires_at: isoTime,
            pid: mostly('123', '0', 'x'),
            drop: mostly('', 'token', 'expires_at'),
          })
          .map(({ drop, ...lease }) => Object.fromEntries(Object.entries(lease).filter(([k]) => k !== drop))),
        { freq: 3 },
      ),
      result: fc.option(
        fc.record({
          branch: fc.constantFrom('tf/x', 'main'),
          cost_usd: fc.constantFrom('0.1234', '1', '2.50'),
          turns: fc.constantFrom('3', '12'),
        }),
        { freq: 3 },
      ),
      extra: fc.array(
        fc.tuple(fc.constantFrom('estimate', 'labels', 'notes', 'owner', 'Role', 'meta-data', 'x_1'), text),
        { maxLength: 3 },
      ),
    },
    {
      requiredKeys: [
        'id',
        'otherId',
        'title',
        'role',
        'priority',
        'created',
        'created_by',
        'expedite',
        'not_before',
        'stage',
        'stage_at',
        'cancelled_at',
        'blocked_by',
        'attempts',
        'max_attempts',
        'lease',
        'result',
        'extra',
      ],
    },
  )
  .map((r) => {
    const m: Model = { id: r.otherId ?? r.id, fileId: r.id, blocked_by: r.blocked_by, extra: [] };
    for (const k of [
      'title',
      'role',
      'priority',
      'created',
      'created_by',
      'expedite',
      'not_before',
      'stage',
      'stage_at',
      'cancelled_at',
      'attempts',
      'max_attempts',
    ] as const) {
      if (r[k] !== null) m[k] = r[k];
    }
    if (r.lease) m.lease = r.lease;
    if (r.result) m.result = r.result;
    const seen = new Set<string>();
    for (const [k, v] of r.extra) {
      if (seen.has(k)) continue;
      seen.add(k);
      m.extra.push([k, v]);
    }
    return m;
  });

/** How one YAML scalar is spelled. */
const scalarStyle = fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'commented');
function yamlScalar(value: string, style: string): string {
  switch (style) {
    case 'single':
      return `'${value.replace(/'/g, "''")}'`;
    case 'double':
      return JSON.stringify(value);
    case 'commented':
      return `${value}  # a note: with 'quotes'`;
    default:
      return value;
  }
}

/** How a list is spelled, in front matter. */
const listStyle = fc.constantFrom(
  'flow',
  'flow-tight',
  'block',
  'block-0',
  'block-4',
  'block-quoted',
  'comma',
  'flow-quoted',
  'empty',
);
function yamlList(items: string[], style: string): { inline: string; lines: string[] } {
  if (items.length === 0) return { inline: style === 'empty' ? '' : style === 'comma' ? '~' : '[]', lines: [] };
  switch (style) {
    case 'flow':
      return { inline: `[${items.join(', ')}]`, lines: [] };
    case 'flow-tight':
      return { inline: `[${items.join(',')}]  # why`, lines: [] };
    case 'flow-quoted':
      return { inline: `[${items.map((i) => JSON.stringify(i)).join(', ')}]`, lines: [] };
    case 'comma':
      return { inline: items.join(', '), lines: [] };
    case 'block-0':
      return { inline: '', lines: items.map((i) => `- ${i}`) };
    case 'block-4':
      return { inline: '# the blockers', lines: items.map((i) => `    - ${i}`) };
    case 'block-quoted':
      return { inline: '', lines: items.map((i) => `  - '${i}'`) };
    default:
      return { inline: '', lines: items.map((i) => `  - ${i}`) };
  }
}

interface Spelling {
  order: number[];
  styles: string[];
  list: string;
  crlf: boolean;
  comments: boolean;
  extraStyle: string;
  body: string;
}
const spelling: fc.Arbitrary<Spelling> = fc.record({
  order: fc.array(fc.nat(1000), { minLength: 20, maxLength: 20 }),
  styles: fc.array(scalarStyle, { minLength: 20, maxLength: 20 }),
  list: listStyle,
  crlf: fc.boolean(),
  comments: fc.boolean(),
  extraStyle: fc.constantFrom('scalar', 'flow', 'block-literal', 'block-folded', 'map', 'over-lines'),
  body: fc.constantFrom(
    '',
    '\n## Context\nSomething: to do.\n',
    '\nbody\n---\nmore\n',
    '\n# Heading\n\nROLE: not a field here\n',
  ),
});

/** A front-matter file for the model, spelled one of many ways. */
function frontMatterText(m: Model, s: Spelling): string {
  const entries: string[][] = [];
  const scalar = (key: string, value: string | undefined, i: number) => {
    if (value !== undefined) entries.push([`${key}: ${yamlScalar(value, s.styles[i]!)}`]);
  };
  scalar('id', m.id, 0);
  scalar('title', m.title, 1);
  scalar('role', m.role, 2);
  scalar('priority', m.priority, 3);
  scalar('created', m.created, 4);
  scalar('created_by', m.created_by, 5);
  if (m.expedite !== undefined) entries.push([`expedite: ${m.expedite}`]);
  scalar('not_before', m.not_before, 6);
  scalar('stage', m.stage, 7);
  scalar('stage_at', m.stage_at, 8);
  scalar('cancelled_at', m.cancelled_at, 9);
  if (m.attempts !== undefined) entries.push([`attempts: ${m.attempts}`]);
  if (m.max_attempts !== undefined) entries.push([`max_attempts: ${m.max_attempts}`]);
  const list = yamlList(m.blocked_by, s.list);
  entries.push([`blocked_by:${list.inline === '' ? '' : ` ${list.inline}`}`, ...list.lines]);
  for (const [name, map] of [
    ['lease', m.lease],
    ['result', m.result],
  ] as const) {
    if (map)
      entries.push([
        `${name}:`,
        ...Object.entries(map).map(
          ([k, v], i) => `  ${k}: ${/^[a-z]/.test(k) && k.endsWith('_at') ? yamlScalar(v, s.styles[10 + i]!) : v}`,
        ),
      ]);
  }
  for (const [i, [key, value]] of m.extra.entries()) {
    if (s.extraStyle === 'flow') entries.push([`${key}: [${value}, other]`]);
    else if (s.extraStyle === 'block-literal') entries.push([`${key}: |`, `  ${value}`, `  second line`]);
    else if (s.extraStyle === 'block-folded') entries.push([`${key}: >-`, `  ${value}`, `  folded`]);
    else if (s.extraStyle === 'map') entries.push([`${key}:`, `  a: ${value}`, `  b: 2`]);
    else if (s.extraStyle === 'over-lines')
      entries.push([`${key}: "${value.replace(/["\\]/g, '')}`, `  role: inside"`]);
    else scalar(key, value, 16 + i);
  }
  // Shuffle the keys (id stays where the order puts it).
  const order = entries.map((e, i) => [s.order[i] ?? i, e] as const).sort((a, b) => a[0] - b[0]);
  const lines = order.flatMap(([, e], i) => (s.comments && i === 1 ? ['# a comment line', ...e] : e));
  const text = `---\n${lines.join('\n')}\n---\n${s.body}`;
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** A file in the seed's header format: `# [id] title`, `KEY: value` lines, the body. */
function headerText(m: Model, s: Spelling): string {
  const lines: string[] = [];
  const line = (key: string, value: string | undefined) =>
    value !== undefined && lines.push(`${key.toUpperCase()}: ${value}`);
  line('role', m.role);
  line('priority', m.priority);
  line('created', m.created);
  line('created_by', m.created_by);
  line('expedite', m.expedite);
  line('not_before', m.not_before);
  line('stage', m.stage);
  line('stage_at', m.stage_at);
  line('cancelled_at', m.cancelled_at);
  line('attempts', m.attempts);
  line('max_attempts', m.max_attempts);
  if (m.blocked_by.length > 0)
    line('blocked_by', s.list.startsWith('flow') ? JSON.stringify(m.blocked_by) : m.blocked_by.join(', '));
  if (m.lease)
    line(
      'lease',
      JSON.stringify(m.lease, (k, v: unknown) => (k === 'pid' && /^\d+$/.test(String(v)) ? Number(v) : v)),
    );
  for (const [key, value] of m.extra) if (key !== 'Role') line(key.replace(/-/g, '_'), value);
  const ordered = lines
    .map((l, i) => [s.order[i] ?? i, l] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, l]) => l);
  const text = `# [${m.id}] ${m.title ?? ''}\n${s.comments ? '' : '\n'}${ordered.join('\n')}\n${s.body === '' ? '' : `\n${s.body}`}`;
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Damage of the kind a person or a bad merge leaves. */
const damage = fc.oneof(
  { weight: 6, arbitrary: fc.constant((t: string) => t) },
  { weight: 1, arbitrary: fc.constant((t: string) => t.replace(/\r?\n---\r?\n(?![\s\S]*\r?\n---\r?\n)/, '\n')) },
  {
    weight: 1,
    arbitrary: fc.nat().map((n) => (t: string) => {
      const ls = t.split('\n');
      ls.splice(1 + (n % Math.max(1, ls.length - 1)), 1);
      return ls.join('\n');
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.nat(),
        fc.constantFrom(
          'role: again',
          'ROLE: again',
          '  stray: indent',
          '\tid: tab',
          'junk',
          '- item',
          'title: two\n  lines',
          "key: 'open",
          '  more words',
          '    - TASK-00000000',
        ),
      )
      .map(([n, junk]) => (t: string) => {
        const ls = t.split('\n');
        ls.splice(1 + (n % Math.max(1, ls.length - 1)), 0, junk);
        return ls.join('\n');
      }),
  },
);

const taskFile = fc.record({ m: model, s: spelling, header: fc.boolean(), damage }).map(({ m, s, header, damage }) => ({
  id: m.fileId,
  text: damage(header ? headerText(m, s) : frontMatterText(m, s)),
}));

// ---- properties -------------------------------------------------------------

describe('the fast reader and the full parse agree (generated files)', () => {
  it('on every field the fast reader returns, and it declines files rejected for those fields', () => {
    let answered = 0;
    let accepted = 0;
    fc.assert(
      fc.property(taskFile, ({ id, text }) => {
        const readable = !('rejected' in fullRead(text, id));
        if (readable) accepted++;
        if (expectAgreement(text, id) && readable) answered++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not a reader that declines everything: most readable files are read without the YAML parser.
    expect(accepted).toBeGreaterThan(RUNS / 5);
    expect(answered).toBeGreaterThan(accepted / 2);
  });

  it('on the head of a file cut at any line end (partial reads answer only when the metadata ended inside)', () => {
    fc.assert(
      fc.property(taskFile, fc.nat(), ({ id, text }, n) => {
        const ends = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
        if (ends.length === 0) return;
        const head = text.slice(0, ends[n % ends.length]);
        if (head.length < text.length) expectAgreement(head, id, true, text);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('queue-status counts every file, each readable one under the role and lifecycle a full parse reads, and reports only rejected files as unreadable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(taskFile, fc.constantFrom('done', 'failed') as fc.Arbitrary<'done' | 'failed'>), {
          minLength: 1,
          maxLength: 6,
        }),
        async (files) => {
          const layout = tempLayout();
          const expected: Record<string, number> = {};
          const lifecycles: Partial<Record<Lifecycle, number>> = {};
          const rejected: string[] = [];
          let count = 0;
          const seen = new Set<string>();
          for (const [{ id, text }, state] of files) {
            if (seen.has(id)) continue;
            seen.add(id);
            const file = writeRaw(layout, state, `${id}.md`, text);
            const full = fullRead(text, id);
            count++;
            if ('rejected' in full) rejected.push(file);
            else {
              expected[full.role] = (expected[full.role] ?? 0) + 1;
              const lifecycle = taskLifecycle({ state, stage: full.stage, cancelled_at: full.cancelled_at });
              lifecycles[lifecycle] = (lifecycles[lifecycle] ?? 0) + 1;
            }
          }
          const status = await queueStatus(layout);
          expect(status.counts.done + status.counts.failed).toBe(count);
          const unreadable = status.unreadable.map((u) => u.file);
          for (const file of unreadable) expect(rejected).toContain(file);
          // A rejected file the counting read answered for is counted under its role and lifecycle (the next listing quarantines it).
          const counted: Record<string, number> = {};
          for (const roles of [status.byStateAndRole.done, status.byStateAndRole.failed])
            for (const [role, n] of Object.entries(roles)) counted[role] = (counted[role] ?? 0) + n;
          for (const [role, n] of Object.entries(expected)) expect(counted[role] ?? 0).toBeGreaterThanOrEqual(n);
          expect(Object.values(counted).reduce((a, b) => a + b, 0) + unreadable.length).toBe(count);
          for (const [lifecycle, n] of Object.entries(lifecycles))
            expect(status.byLifecycle[lifecycle as Lifecycle]).toBeGreaterThanOrEqual(n);
          expect(Object.values(status.byLifecycle).reduce((a, b) => a + b, 0) + unreadable.length).toBe(count);
        },
      ),
      { seed: SEED + 2, numRuns: 60 },
    );
  });
});

describe('the fast reader agrees with the full parser (hand-picked files)', () => {
  const variants: string[] = [
    SEED_TASK,
    HAND_WRITTEN,
    '---\nid: TASK-1\ntitle: t\nrole: "implement"\npriority: \'P0\'\nexpedite: true\ncreated: 2026-01-01T00:00:00Z\nblocked_by:\n  - TASK-2\n  - "TASK-3"\n---\n',
    '---\nid: TASK-1\ntitle: t\nrole: test # comment\nblocked_by: [TASK-2, TASK-3]   # two\nnot_before: 2026-01-01T00:00:00Z\n---\nbody\n',
    '---\nid: TASK-1\ntitle: t\nrole: test\nexpedite: True\nlease:\n  holder: h\n  token: t\n  expires_at: 2026-01-01T00:00:00Z\n---\n',
    '---\nid: TASK-1\ntitle: >\n  folded\nrole: review\nblocked_by: ~\n---\n',
    '---\nid: TASK-1\ntitle: t\nrole: implement\nstage_at: 2026-01-01T00:00:00Z\nstage: "approved"  # by hand\n---\n',
    "---\nid: TASK-1\ntitle: t\nrole: implement\ncancelled_at: '2026-01-01T00:00:00Z'\nstage: ~\n---\n",
    '# [TASK-a1b2c3d4] t\n\nROLE: implement\nSTAGE: merged\nSTAGE_AT: 2026-01-01T00:00:00Z\nCANCELLED_AT: 2026-01-02T00:00:00Z\n\nbody\n',
  ];
  it.each(variants.map((v, i) => [i, v] as const))('variant %i', (_i, text) => {
    const id = text.startsWith('# [') ? 'TASK-a1b2c3d4' : text.includes('TASK-0000beef') ? 'TASK-0000beef' : 'TASK-1';
    const full = parseTask(text, path.join('/q/incoming', `${id}.md`), 'incoming');
    expect(summarizeTask(text, id)).toEqual({
      id,
      role: full.role,
      priority: full.priority,
      expedite: full.expedite,
      created: full.created,
      not_before: full.not_before,
      blocked_by: full.blocked_by,
      stage: full.stage,
      cancelled_at: full.cancelled_at,
    });
    expect(countTask(text)).toEqual({
      role: full.role,
      blocked_by: full.blocked_by,
      stage: full.stage,
      cancelled_at: full.cancelled_at,
    });
  });

  it('answers for the usual files and declines what it cannot be sure of', () => {
    const lease = 'lease:\n  holder: h\n  token: t\n  expires_at: 2026-01-01T00:00:00Z\n';
    expect(summarizeTask(SEED_TASK, 'TASK-a1b2c3d4')).toMatchObject({ role: 'implement', blocked_by: [] });
    expect(summarizeTask(HAND_WRITTEN, 'TASK-0000beef')).toMatchObject({ role: 'test', blocked_by: [] });
    expect(
      summarizeTask(
        `---\nid: TASK-1\ntitle: t\nrole: "review"  # why\nblocked_by:\n  - TASK-2\n  - TASK-3\n${lease}---\n`,
        'TASK-1',
      ),
    ).toMatchObject({ role: 'review', blocked_by: ['TASK-2', 'TASK-3'] });
    expect(summarizeTask('# [TASK-1] t\n\nROLE: test\nBLOCKED_BY: ["TASK-2"]\n', 'TASK-1')).toMatchObject({
      role: 'test',
      blocked_by: ['TASK-2'],
    });
    expect(summarizeTask('# [TASK-1] t\n\nROLE: test\nBLOCKED_BY: ["TASK-2"]\n', 'TASK-1', true)).toBeUndefined(); // the header may go on
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: test\n', 'TASK-1', true)).toBeUndefined(); // no closing line yet
    expect(summarizeTask('---\r\nid: TASK-1\r\ntitle: t\r\nrole: test\r\n---\r\n', 'TASK-1')).toMatchObject({
      role: 'test',
    }); // CRLF
    // Files the full parse rejects for a field the reader reads: another id, a priority it does not know.
    expect(summarizeTask('---\nid: TASK-2\ntitle: t\nrole: review\n---\n', 'TASK-1')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: review\npriority: P9\n---\n', 'TASK-1')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: review\nstage: shipped\n---\n', 'TASK-1')).toBeUndefined();
    expect(countTask('---\nid: TASK-1\ntitle: t\nrole: review\nstage: shipped\n---\n')).toBeUndefined();
    expect(countTask('---\nid: TASK-1\ntitle: t\nrole: review\nstage: [merged]\n---\n')).toBeUndefined();
    expect(countTask('---\nid: TASK-1\ntitle: t\nrole: review\nstage_at: 2026-01-01T00:00:00Z\n---\n')).toEqual({
      role: 'review',
      blocked_by: [],
    });
    expect(countTask('# [TASK-1] t\n\nROLE: review\nSTAGE: in_review\n', true)).toBeUndefined(); // the header may go on
    expect(countTask('---\nid: TASK-1\ntitle: t\nrole:\n---\n')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: a\nrole: b\n---\n', 'TASK-1')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: &x a\n---\n', 'TASK-1')).toBeUndefined();
    expect(summarizeTask('---\nid: TASK-1\ntitle: t\nrole: a\nblocked_by: [[x]]\n---\n', 'TASK-1')).toBeUndefined();
  });

  it.each([
    ['an anchor', '---\nid: TASK-1\ntitle: t\nrole: &a x\n---\n'],
    ['a multi-line plain value', '---\nid: TASK-1\ntitle: t\nrole: a\n  b\n---\n'],
    ['a duplicate key', '---\nid: TASK-1\ntitle: t\nrole: a\nrole: b\n---\n'],
    ['an escaped string', '---\nid: TASK-1\ntitle: t\nrole: "a\\tb"\n---\n'],
    ['a nested list', '---\nid: TASK-1\ntitle: t\nrole: x\nblocked_by: [[a]]\n---\n'],
    ['no closing line', '---\nid: TASK-1\ntitle: t\nrole: x\n'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(summarizeTask(text, 'TASK-1')).toBeUndefined();
  });
});
