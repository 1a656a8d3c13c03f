import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { type Layout, proposalDir } from '../src/core/paths.js';
import { createProposal } from '../src/proposals/create.js';
import { deferProposal } from '../src/proposals/defer.js';
import { findProposal, listProposals } from '../src/proposals/list.js';
import { promoteProposal } from '../src/proposals/promote.js';
import type { ProposalInput } from '../src/proposals/proposal.js';
import { reactivateProposal } from '../src/proposals/reactivate.js';
import { rejectProposal } from '../src/proposals/reject.js';
import { relevantFiles } from '../src/proposals/sections.js';
import { tempLayout } from './fixtures/tasks/project.js';

const input: ProposalInput = {
  title: 'Split the scheduler module',
  proposer: 'architect',
  category: 'refactor',
  complexity: 'L',
  summary: 'scheduler.ts does three things; split it.',
  rationale: 'Smaller files are easier to test.',
  acceptance: ['each file has one idea', 'tests pass'],
  relevantFiles: ['src/scheduler.ts'],
};

const names = (layout: Layout, state: 'active' | 'promoted' | 'deferred' | 'rejected' | 'quarantine'): string[] => {
  try {
    return readdirSync(proposalDir(layout, state)).sort();
  } catch {
    return [];
  }
};

describe('createProposal', () => {
  it('writes the seed format to active/', async () => {
    const layout = tempLayout();
    const p = await createProposal(layout, input, { clock: new FakeClock('2026-01-01T00:00:00Z') });
    expect(p.id).toMatch(/^PROP-[0-9a-f]{8}$/);
    expect(readFileSync(p.file, 'utf8')).toBe(
      `# Proposal: Split the scheduler module\n\n**ID:** ${p.id}\n**Proposer:** architect\n**Category:** refactor\n**Complexity:** L\n**Created:** 2026-01-01T00:00:00Z\n\n` +
        '## Summary\nscheduler.ts does three things; split it.\n\n## Rationale\nSmaller files are easier to test.\n\n' +
        '## Acceptance Criteria\n- [ ] each file has one idea\n- [ ] tests pass\n\n## Relevant Files\n- src/scheduler.ts\n',
    );
    expect(relevantFiles(p)).toEqual(['src/scheduler.ts']);
  });

  it.each([
    [
      { category: 'chore' as 'test' },
      'proposal category must be one of test, refactor, feature, debt, plan-task, got "chore"',
    ],
    [{ complexity: 'XXL' as 'S' }, 'proposal complexity must be one of S, M, L, XL, got "XXL"'],
    [{ title: ' ' }, 'proposal title is empty; give a one-line title'],
    [{ summary: '' }, 'proposal summary is empty; give a one-line description'],
    [{ proposer: 'a b' }, 'proposal proposer must be an agent name such as test-checker, got "a b"'],
  ])('refuses %j', async (change, message) => {
    const layout = tempLayout();
    await expect(createProposal(layout, { ...input, ...change })).rejects.toThrow(message);
    expect(names(layout, 'active')).toEqual([]);
  });

  it('applies the per-proposer max_active limit', async () => {
    const layout = tempLayout();
    await createProposal(layout, input, { maxActive: 2 });
    await createProposal(layout, input, { maxActive: 2 });
    await createProposal(layout, { ...input, proposer: 'test-checker' }, { maxActive: 2 });
    await expect(createProposal(layout, input, { maxActive: 2 })).rejects.toThrow(
      'architect already has 2/2 active proposals; wait for the curator',
    );
  });
});

describe('proposal transitions', () => {
  it('promote: active → promoted with task id, score and decision', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-01-02T00:00:00Z');
    const p = await createProposal(layout, input, { clock });
    const promoted = await promoteProposal(layout, p.id, { taskId: 'TASK-0000abcd', score: 8.2, by: 'curator', clock });
    expect(promoted).toMatchObject({
      state: 'promoted',
      task_id: 'TASK-0000abcd',
      score: 8.2,
      decided_by: 'curator',
      decided_at: '2026-01-02T00:00:00Z',
    });
    expect(promoted.body).toBe(p.body);
    expect(names(layout, 'active')).toEqual([]);
    expect(names(layout, 'promoted')).toEqual([`${p.id}.md`]);
    await expect(promoteProposal(layout, p.id, { taskId: 'TASK-1', score: 1, by: 'c' })).rejects.toThrow(
      `${p.id} is promoted; only a proposal that is active can be promoted`,
    );
  });

  it('reject: needs feedback, which the proposer can read back', async () => {
    const layout = tempLayout();
    const p = await createProposal(layout, input);
    await expect(rejectProposal(layout, p.id, { feedback: ' ', by: 'curator' })).rejects.toThrow(
      `reject ${p.id}: feedback is required`,
    );
    const r = await rejectProposal(layout, p.id, { feedback: 'Already planned in TASK-9.', by: 'curator' });
    expect(r).toMatchObject({ state: 'rejected', feedback: 'Already planned in TASK-9.' });
    const mine = await listProposals(layout, { states: ['rejected'], proposer: 'architect' });
    expect(mine.proposals.map((x) => x.feedback)).toEqual(['Already planned in TASK-9.']);
  });

  it('defer with conflicts, then reactivate', async () => {
    const layout = tempLayout();
    const a = await createProposal(layout, input);
    const b = await createProposal(layout, { ...input, title: 'Rewrite the scheduler' });
    const da = await deferProposal(layout, a.id, {
      reason: 'conflicts with another proposal',
      by: 'curator',
      conflictsWith: [b.id],
    });
    expect(da).toMatchObject({
      state: 'deferred',
      feedback: 'conflicts with another proposal',
      conflicts_with: [b.id],
    });
    const back = await reactivateProposal(layout, a.id);
    expect(back).toMatchObject({ state: 'active', conflicts_with: [], feedback: 'conflicts with another proposal' });
    expect(back.decided_at).toBeUndefined();
    await expect(reactivateProposal(layout, a.id)).rejects.toThrow(
      `${a.id} is active; only a proposal that is deferred can be reactivated`,
    );
    expect((await findProposal(layout, a.id)).state).toBe('active');
  });
});

describe('listProposals', () => {
  it('quarantines unreadable files and lists the rest', async () => {
    const layout = tempLayout();
    const good = await createProposal(layout, input);
    mkdirSync(proposalDir(layout, 'active'), { recursive: true });
    writeFileSync(
      path.join(proposalDir(layout, 'active'), 'PROP-bad.md'),
      '# Proposal: x\n\n**ID:** PROP-bad\n**Category:** test\n',
    );
    writeFileSync(path.join(proposalDir(layout, 'active'), '.PROP-x.md.123.tmp'), 'partial');
    const { proposals, problems } = await listProposals(layout);
    expect(proposals.map((p) => p.id)).toEqual([good.id]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toMatch(/PROP-bad\.md: \*\*Proposer:\*\* is missing$/);
    expect(names(layout, 'quarantine')).toEqual(['PROP-bad.md', 'PROP-bad.md.reason']);
  });

  it('refuses ids that would escape the folder, and unknown ids', async () => {
    const layout = tempLayout();
    await expect(findProposal(layout, '../../x')).rejects.toThrow('"../../x" is not a valid proposal id');
    await expect(rejectProposal(layout, 'a/b', { feedback: 'x', by: 'c' })).rejects.toThrow(
      '"a/b" is not a valid proposal id',
    );
    await expect(findProposal(layout, 'PROP-00000000')).rejects.toThrow(
      'proposal PROP-00000000 not found in active, promoted, deferred, rejected',
    );
  });
});
