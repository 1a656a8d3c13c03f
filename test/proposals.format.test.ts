import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProposal, serializeProposal } from '../src/proposals/format.js';
import { proposalSummary, relevantFiles } from '../src/proposals/sections.js';

const SEED_PROPOSAL = `# Proposal: Add retry coverage to the HTTP client

**ID:** PROP-1a2b3c4d
**Proposer:** test-checker
**Category:** test
**Complexity:** M
**Created:** 2024-01-15T10:30:00Z

## Summary
The retry path of the HTTP client has no tests.

## Rationale
Two incidents last month came from retries.

## Acceptance Criteria
- [ ] Criterion 1
- [ ] Criterion 2

## Relevant Files
- src/http/client.ts
- \`src/http/retry.ts\`
`;

const parse = (text: string, state: 'active' | 'promoted' = 'active') =>
  parseProposal(text, path.join('/p', state, 'PROP-1a2b3c4d.md'), state);

describe('proposal format', () => {
  it('reads the seed format', () => {
    const p = parse(SEED_PROPOSAL);
    expect(p).toMatchObject({
      id: 'PROP-1a2b3c4d',
      title: 'Add retry coverage to the HTTP client',
      proposer: 'test-checker',
      category: 'test',
      complexity: 'M',
      created: '2024-01-15T10:30:00Z',
      conflicts_with: [],
    });
    expect(p.body.startsWith('\n## Summary\n')).toBe(true);
    expect(proposalSummary(p)).toBe('The retry path of the HTTP client has no tests.');
    expect(relevantFiles(p)).toEqual(['src/http/client.ts', 'src/http/retry.ts']);
  });

  it('writes an unchanged proposal back byte for byte', () => {
    expect(serializeProposal(parse(SEED_PROPOSAL))).toBe(SEED_PROPOSAL);
  });

  it('adds tickfleet fields as further **Key:** lines and keeps unknown lines and the body', () => {
    const text = SEED_PROPOSAL.replace(
      '**Created:** 2024-01-15T10:30:00Z\n',
      '**Created:** 2024-01-15T10:30:00Z\n**Effort Notes:** two days\n',
    );
    const p = parse(text);
    p.score = 7.5;
    p.task_id = 'TASK-00000001';
    p.decided_by = 'curator';
    p.feedback = 'Good catch.\nDo the timeout path too.';
    p.conflicts_with = ['PROP-2', 'PROP-3'];
    const out = serializeProposal(p);
    expect(out).toBe(
      text.replace(
        '**Effort Notes:** two days\n',
        '**Effort Notes:** two days\n**Score:** 7.5\n**Decided By:** curator\n**Feedback:** "Good catch.\\nDo the timeout path too."\n**Task ID:** TASK-00000001\n**Conflicts With:** PROP-2, PROP-3\n',
      ),
    );
    const again = parse(out);
    expect(again).toMatchObject({
      score: 7.5,
      task_id: 'TASK-00000001',
      feedback: 'Good catch.\nDo the timeout path too.',
      conflicts_with: ['PROP-2', 'PROP-3'],
    });
    expect(serializeProposal(again)).toBe(out);
    expect(JSON.parse(JSON.stringify(again)).source).toBeUndefined();
  });

  it.each([
    [
      'a bad category',
      SEED_PROPOSAL.replace('**Category:** test', '**Category:** chore'),
      '**Category:** must be one of test, refactor, feature, debt, plan-task, got "chore"',
    ],
    [
      'a bad complexity',
      SEED_PROPOSAL.replace('**Complexity:** M', '**Complexity:** XXL'),
      '**Complexity:** must be one of S, M, L, XL, got "XXL"',
    ],
    ['no id', SEED_PROPOSAL.replace('**ID:** PROP-1a2b3c4d\n', ''), '**ID:** is missing'],
    [
      'an id not matching the file',
      SEED_PROPOSAL.replace('PROP-1a2b3c4d', 'PROP-other'),
      '**ID:** PROP-other does not match the file name (expected PROP-1a2b3c4d)',
    ],
    ['no title line', SEED_PROPOSAL.replace('# Proposal: ', '# '), 'first line must be "# Proposal: <title>"'],
    [
      'a bad score',
      SEED_PROPOSAL.replace('**Created:**', '**Score:** high\n**Created:**'),
      '**Score:** must be a number, got "high"',
    ],
  ])('refuses %s with a one-line reason naming the file', (_name, text, reason) => {
    expect(() => parse(text)).toThrow(reason);
    expect(() => parse(text)).toThrow('/p/active/PROP-1a2b3c4d.md: ');
  });
});
