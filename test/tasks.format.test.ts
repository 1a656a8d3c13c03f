import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTask, serializeTask } from '../src/tasks/format.js';
import { HAND_WRITTEN, SEED_TASK } from './fixtures/tasks/project.js';

const parse = (text: string, name: string, state: 'incoming' | 'claimed' = 'incoming') =>
  parseTask(text, path.join('/q', state, name), state);

describe('seed header format', () => {
  it('loads the seed example as-is', () => {
    const task = parse(SEED_TASK, 'TASK-a1b2c3d4.md');
    expect(task).toMatchObject({
      id: 'TASK-a1b2c3d4',
      title: 'Add input validation',
      role: 'implement',
      priority: 'P1',
      branch: 'main',
      created: '2024-01-15T10:30:00Z',
      created_by: 'pm-agent',
      blocked_by: [],
      expedite: false,
      attempts: 0,
      max_attempts: 3,
    });
    expect(task.body).toBe(
      '\n## Context\nBackground and motivation...\n\n## Acceptance Criteria\n- [ ] Criterion 1\n- [ ] Criterion 2\n',
    );
    expect(task.source?.format).toBe('header');
  });

  it('writes an unchanged task back byte for byte', () => {
    expect(serializeTask(parse(SEED_TASK, 'TASK-a1b2c3d4.md'))).toBe(SEED_TASK);
  });

  it('stays in header format when rewritten: known fields as KEY lines, the lease as one-line JSON, unknown lines kept', () => {
    const text = SEED_TASK.replace('CREATED_BY: pm-agent\n', 'CREATED_BY: pm-agent\nTEAM: payments\n');
    const task = parse(text, 'TASK-a1b2c3d4.md');
    task.lease = {
      holder: 'impl-1',
      token: 'tok',
      acquired_at: '2026-01-01T00:00:00Z',
      expires_at: '2026-01-01T00:10:00Z',
    };
    task.attempts = 1;
    task.priority = 'P0';
    task.error = 'first line\nsecond line';
    const out = serializeTask(task);
    expect(out).toBe(
      '# [TASK-a1b2c3d4] Add input validation\n\nROLE: implement\nPRIORITY: P0\nBRANCH: main\nCREATED: 2024-01-15T10:30:00Z\nCREATED_BY: pm-agent\nTEAM: payments\n' +
        'ATTEMPTS: 1\n' +
        'LEASE: {"holder":"impl-1","token":"tok","acquired_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:10:00Z"}\n' +
        'ERROR: "first line\\nsecond line"\n' +
        '\n## Context\nBackground and motivation...\n\n## Acceptance Criteria\n- [ ] Criterion 1\n- [ ] Criterion 2\n',
    );
    const again = parse(out, 'TASK-a1b2c3d4.md');
    expect(again.lease).toEqual(task.lease);
    expect(again.error).toBe('first line\nsecond line');
    // Clearing a field removes its line again.
    again.lease = undefined;
    again.error = undefined;
    again.attempts = 0;
    expect(serializeTask(again)).toBe(
      text.replace('PRIORITY: P1', 'PRIORITY: P0').replace('TEAM: payments\n', 'TEAM: payments\nATTEMPTS: 0\n'),
    );
  });

  it('reads blocked_by as a comma list or JSON, and keeps CRLF line endings', () => {
    const crlf = SEED_TASK.replace(
      'CREATED_BY: pm-agent\n',
      'CREATED_BY: pm-agent\nBLOCKED_BY: TASK-1, TASK-2\n',
    ).replace(/\n/g, '\r\n');
    const task = parse(crlf, 'TASK-a1b2c3d4.md');
    expect(task.blocked_by).toEqual(['TASK-1', 'TASK-2']);
    expect(serializeTask(task)).toBe(crlf);
    task.expedite = true;
    expect(serializeTask(task)).toContain('BLOCKED_BY: TASK-1, TASK-2\r\nEXPEDITE: true\r\n\r\n## Context\r\n');
    expect(parse(SEED_TASK.replace('BRANCH: main', 'BLOCKED_BY: ["TASK-9"]'), 'TASK-a1b2c3d4.md').blocked_by).toEqual([
      'TASK-9',
    ]);
  });
});

describe('front matter format', () => {
  it('writes an unchanged task back byte for byte, comments and unknown fields included', () => {
    const task = parse(HAND_WRITTEN, 'TASK-0000beef.md');
    expect(task).toMatchObject({
      id: 'TASK-0000beef',
      role: 'test',
      priority: 'P1',
      created: '2026-01-01T00:00:00Z',
      attempts: 0,
    });
    expect(serializeTask(task)).toBe(HAND_WRITTEN);
  });

  it('keeps unknown fields, comments, key order and the body through a change', () => {
    const task = parse(HAND_WRITTEN, 'TASK-0000beef.md');
    task.attempts = 2;
    task.lease = {
      holder: 'tester-1',
      token: 'abc',
      acquired_at: '2026-01-02T00:00:00Z',
      expires_at: '2026-01-02T00:10:00Z',
    };
    task.body += '\n## Handoff\ndone\n';
    const out = serializeTask(task);
    expect(out).toBe(`---
# written by hand
id: TASK-0000beef
title: Fix the flaky login test
role: test
priority: P1 # urgent-ish
estimate: 2h
created: 2026-01-01T00:00:00Z
labels: [flaky, auth]
reviewers:
  - alice
  - bob
attempts: 2
lease:
  holder: tester-1
  token: abc
  acquired_at: 2026-01-02T00:00:00Z
  expires_at: 2026-01-02T00:10:00Z
---
${task.body}`);
    const again = parse(out, 'TASK-0000beef.md');
    expect(again.created).toBe('2026-01-01T00:00:00Z'); // still a string, not a Date
    expect(again.body.startsWith(HAND_WRITTEN.slice(HAND_WRITTEN.indexOf('---\n', 4) + 4))).toBe(true);
  });

  it('changes only the body when only the body changes', () => {
    const task = parse(HAND_WRITTEN, 'TASK-0000beef.md');
    task.body = '\nnew body\n';
    const out = serializeTask(task);
    expect(out).toBe(`${HAND_WRITTEN.slice(0, HAND_WRITTEN.indexOf('---\n', 4) + 4)}\nnew body\n`);
  });

  it('writes a new task in the canonical order, optional fields only when set', () => {
    const out = serializeTask({
      id: 'TASK-00000001',
      title: 'New',
      role: 'implement',
      priority: 'P2',
      created: '2026-01-01T00:00:00Z',
      created_by: 'pm',
      blocked_by: [],
      expedite: false,
      attempts: 0,
      max_attempts: 3,
      skip_pr: true,
      body: '\n## Context\n',
      state: 'incoming',
      file: '/q/incoming/TASK-00000001.md',
    });
    expect(out).toBe(
      '---\nid: TASK-00000001\ntitle: New\nrole: implement\npriority: P2\nbranch: null\ncreated: 2026-01-01T00:00:00Z\ncreated_by: pm\nblocked_by: []\n' +
        'expedite: false\nattempts: 0\nmax_attempts: 3\nlease: null\nresult: null\nerror: null\nskip_pr: true\n---\n\n## Context\n',
    );
    const task = parse(out, 'TASK-00000001.md');
    expect(serializeTask(task)).toBe(out);
    task.skip_pr = undefined;
    expect(serializeTask(task)).not.toContain('skip_pr');
  });

  it('never puts the parsed source into JSON', () => {
    const json = JSON.parse(JSON.stringify(parse(HAND_WRITTEN, 'TASK-0000beef.md'))) as Record<string, unknown>;
    expect(json.source).toBeUndefined();
    expect(json.id).toBe('TASK-0000beef');
  });
});

describe('unreadable files', () => {
  const cases: [string, string, RegExp][] = [
    ['bad YAML', '---\nid: TASK-1\ntitle: a: b\n---\n', /TASK-1\.md: front matter is not valid YAML: Nested mappings/],
    ['no closing line', '---\nid: TASK-1\n', /front matter has no closing --- line/],
    ['missing role', '---\nid: TASK-1\ntitle: t\n---\n', /TASK-1\.md: role is missing/],
    ['missing title', '# [TASK-1]\nROLE: implement\n', /the title line's title is missing/],
    [
      'id not matching the file',
      '---\nid: TASK-2\ntitle: t\nrole: r\n---\n',
      /id TASK-2 does not match the file name \(expected TASK-1\)/,
    ],
    [
      'bad priority',
      '---\nid: TASK-1\ntitle: t\nrole: r\npriority: P9\n---\n',
      /priority must be one of P0, P1, P2, P3, got "P9"/,
    ],
    ['bad attempts', '# [TASK-1] t\nROLE: r\nATTEMPTS: two\n', /ATTEMPTS must be a whole number >= 0, got "two"/],
    ['bad lease JSON', '# [TASK-1] t\nROLE: r\nLEASE: {oops\n', /LEASE must be a mapping/],
    [
      'lease without token',
      '---\nid: TASK-1\ntitle: t\nrole: r\nlease: {holder: h, expires_at: 2026-01-01T00:00:00Z}\n---\n',
      /lease\.token is missing/,
    ],
    ['bad date', '---\nid: TASK-1\ntitle: t\nrole: r\nnot_before: soon\n---\n', /not_before must be an ISO time/],
    ['duplicate header line', '# [TASK-1] t\nROLE: r\nROLE: s\n', /ROLE appears twice/],
    ['neither format', 'just text\n', /neither YAML front matter/],
  ];
  it.each(cases)('%s: one-line reason naming the file', (_name, text, reason) => {
    expect(() => parse(text, 'TASK-1.md')).toThrow(reason);
    try {
      parse(text, 'TASK-1.md');
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message).toContain('TASK-1.md');
    }
  });
});
