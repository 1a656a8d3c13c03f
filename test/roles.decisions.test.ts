import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { FakeClock } from '../src/core/clock.js';
import { layoutFor } from '../src/core/paths.js';
import { initProject } from '../src/init/init.js';
import { listMessages } from '../src/messages/list.js';
import { createProposal } from '../src/proposals/create.js';
import { promoteProposal } from '../src/proposals/promote.js';
import type { Proposal } from '../src/proposals/proposal.js';
import { rejectProposal } from '../src/proposals/reject.js';
import { conflictKey, fileOverlaps, groupConflicts } from '../src/roles/conflicts.js';
import { applyCuration } from '../src/roles/curatorApply.js';
import { curatorSchema, parseCuratorDecision } from '../src/roles/curatorDecision.js';
import { REJECTION_SPREE, warnOnRejectionSpree } from '../src/roles/curatorMessages.js';
import { planCuration, weightedScore } from '../src/roles/curatorPlan.js';
import { parseReviewDecision } from '../src/roles/reviewDecision.js';
import type { RunContext } from '../src/run/context.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { listTasks } from '../src/tasks/list.js';
import { tempDir } from './helpers/tmp.js';

const WEIGHTS = { impact: 0.4, effort: 0.2, risk: 0.2, alignment: 0.2 };
const CRITERIA = Object.keys(WEIGHTS);
const all = (x: number) => ({ impact: x, effort: x, risk: x, alignment: x });

function proposal(id: string, proposer: string, files: string[] = []): Proposal {
  return {
    id,
    title: id,
    proposer,
    category: 'refactor',
    complexity: 'S',
    conflicts_with: [],
    state: 'active',
    file: `/x/${id}.md`,
    body: `\n## Summary\n${id}\n\n## Relevant Files\n${files.map((f) => `- ${f}`).join('\n')}\n`,
  };
}

describe('curator scoring', () => {
  it.each([
    [{ impact: 1, effort: 0, risk: 0, alignment: 0 }, WEIGHTS, 0.4],
    [all(0.5), WEIGHTS, 0.5],
    // Weights that do not add up to 1 are normalised; all-zero weights give the plain mean.
    [{ impact: 1, effort: 0, risk: 0, alignment: 0 }, { impact: 2, effort: 2, risk: 0, alignment: 0 }, 0.5],
    [{ impact: 1, effort: 0 }, { impact: 0, effort: 0 }, 0.5],
  ])('weightedScore(%j, %j) = %d', (scores, weights, expected) => {
    expect(weightedScore(scores, weights)).toBeCloseTo(expected, 10);
  });

  const config = { curator: { weights: WEIGHTS, promote_threshold: 0.6 }, voice_weights: { loud: 1.5, quiet: 0.5 } };
  const decide = (id: string, action: 'promote' | 'reject' | 'defer', x: number) => ({
    id,
    scores: all(x),
    action,
    feedback: `${action} ${id}`,
  });

  it('promotes only what the curator promotes at or above the threshold (× voice weight), best first; conflicts defer everyone in them', () => {
    const ps = [
      proposal('P-a', 'loud'),
      proposal('P-b', 'quiet'),
      proposal('P-c', 'plain'),
      proposal('P-d', 'plain'),
      proposal('P-e', 'plain', ['src/x.ts']),
      proposal('P-f', 'plain', ['src/x.ts/']),
    ];
    const plan = planCuration(
      config,
      ps,
      {
        decisions: [
          decide('P-a', 'promote', 0.5),
          decide('P-b', 'promote', 0.9),
          decide('P-c', 'reject', 0.99),
          decide('P-d', 'promote', 0.6),
          decide('P-e', 'promote', 1),
          decide('P-f', 'reject', 0),
        ],
        conflicts: [],
      },
      fileOverlaps(ps),
    );
    expect(plan.moves.map((m) => [m.id, m.action, m.score])).toEqual([
      ['P-a', 'promote', 0.75], // 0.5 × 1.5
      ['P-d', 'promote', 0.6], // exactly the threshold
      ['P-b', 'defer', 0.45], // 0.9 × 0.5
      ['P-c', 'reject', 0.99], // a high score never overrides a rejection
      ['P-e', 'defer', 1],
      ['P-f', 'defer', 0],
    ]);
    expect(plan.moves.find((m) => m.id === 'P-b')!.feedback).toBe(
      'Scored 0.45 (0.9 × voice weight 0.5), below promote_threshold 0.6; deferred. Curator: promote P-b',
    );
    expect(plan.moves.find((m) => m.id === 'P-e')).toMatchObject({
      conflictsWith: ['P-f'],
      feedback: 'In conflict with P-f (both touch src/x.ts); deferred until the owner decides. Curator: promote P-e',
    });
    expect(plan.conflicts).toEqual([{ ids: ['P-e', 'P-f'], files: ['src/x.ts'], tradeoffs: [] }]);
  });
});

describe('conflicts', () => {
  it('finds file overlaps (a folder covers its files) and joins them with declared contradictions into groups', () => {
    const ps = [
      proposal('P-3', 'a', ['src/auth/login.ts']),
      proposal('P-1', 'a', ['./src/auth', 'README.md']),
      proposal('P-2', 'b', ['src/authz.ts']),
      proposal('P-4', 'c', ['docs/x.md']),
    ];
    const overlaps = fileOverlaps(ps);
    expect(overlaps).toEqual([{ ids: ['P-1', 'P-3'], files: ['src/auth'] }]);
    const groups = groupConflicts(overlaps, [{ ids: ['P-4', 'P-3'], tradeoffs: 'one or the other' }]);
    expect(groups).toEqual([{ ids: ['P-1', 'P-3', 'P-4'], files: ['src/auth'], tradeoffs: ['one or the other'] }]);
    expect(conflictKey({ ids: ['P-4', 'P-1', 'P-3'] })).toBe('proposal-conflict:P-1+P-3+P-4');
  });
});

describe('structured decisions are checked before anything moves', () => {
  const ids = ['PROP-1', 'PROP-2'];

  it('a curator decision that fits is returned whole', () => {
    const r = parseCuratorDecision(
      {
        decisions: [
          { id: 'PROP-1', scores: all(1), action: 'promote', feedback: ' ok ', priority: 'P1' },
          { id: 'PROP-2', scores: all(0), action: 'reject', feedback: 'no' },
        ],
        conflicts: [{ ids: ['PROP-2', 'PROP-1'], tradeoffs: 't' }],
      },
      ids,
      CRITERIA,
    );
    expect(r.ok && r.value).toEqual({
      decisions: [
        { id: 'PROP-1', scores: all(1), action: 'promote', feedback: 'ok', priority: 'P1' },
        { id: 'PROP-2', scores: all(0), action: 'reject', feedback: 'no' },
      ],
      conflicts: [{ ids: ['PROP-1', 'PROP-2'], tradeoffs: 't' }],
    });
  });

  it.each([
    [
      { decisions: [{ id: 'PROP-1', scores: all(1), action: 'promote', feedback: 'x' }], conflicts: [] },
      'decisions: PROP-2 has no decision; decide every proposal shown',
    ],
    [
      { decisions: [{ id: 'PROP-9', scores: all(1), action: 'promote', feedback: 'x' }], conflicts: [] },
      'decisions[0].id: "PROP-9" is not one of the proposals shown (PROP-1, PROP-2)',
    ],
    [
      {
        decisions: [
          { id: 'PROP-1', scores: all(1), action: 'promote', feedback: 'x' },
          { id: 'PROP-1', scores: all(1), action: 'reject', feedback: 'x' },
        ],
        conflicts: [],
      },
      'decisions[1].id: PROP-1 is decided twice; decide each proposal once',
    ],
    [
      {
        decisions: [{ id: 'PROP-1', scores: { ...all(1), impact: 2 }, action: 'promote', feedback: 'x' }],
        conflicts: [],
      },
      'decisions[0].scores.impact: must be a number from 0 to 1, got 2',
    ],
    [
      {
        decisions: [{ id: 'PROP-1', scores: { ...all(1), vibes: 1 }, action: 'promote', feedback: 'x' }],
        conflicts: [],
      },
      'decisions[0].scores.vibes: is not a criterion (criteria: impact, effort, risk, alignment)',
    ],
    [
      { decisions: [{ id: 'PROP-1', scores: all(1), action: 'maybe', feedback: '' }], conflicts: [] },
      'decisions[0].action: must be one of promote, reject, defer, got "maybe"',
    ],
    [
      { decisions: [], conflicts: [{ ids: ['PROP-1'], tradeoffs: 't' }] },
      'conflicts[0].ids: a conflict needs two different proposals',
    ],
    [{ decisions: [] }, 'conflicts: must be a list, got nothing'],
    ['promote everything', 'decision: must be an object, got "promote everything"'],
  ])('curator decision %j is refused: %s', (value, problem) => {
    const r = parseCuratorDecision(value, ids, CRITERIA);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.list).toContain(problem);
  });

  it('the curator schema names the ids shown and requires every criterion', () => {
    const schema = curatorSchema(ids, CRITERIA) as {
      properties: { decisions: { items: { properties: { id: unknown; scores: { required: string[] } } } } };
    };
    expect(schema.properties.decisions.items.properties.id).toEqual({ type: 'string', enum: ids });
    expect(schema.properties.decisions.items.properties.scores.required).toEqual(CRITERIA);
  });

  it.each([
    [{ verdict: 'approve', summary: 'fine', findings: [] }, undefined],
    [
      { verdict: 'request_changes', summary: 'no', findings: [] },
      'findings: request_changes needs at least one finding saying what to change',
    ],
    [{ verdict: 'lgtm', summary: 'x', findings: [] }, 'verdict: must be one of approve, request_changes, got "lgtm"'],
    [
      {
        verdict: 'approve',
        summary: 'x',
        findings: [{ severity: 'high', file: 'a.ts', line: 0, title: 't', detail: 'd', create_task: true }],
      },
      'findings[0].line: must be a line number from 1, got 0',
    ],
    [
      {
        verdict: 'approve',
        summary: 'x',
        findings: [{ severity: 'high', file: 'a.ts', title: 't\nu', detail: 'd', create_task: 'yes' }],
      },
      'findings[0].title: must be one line',
    ],
  ])('review decision %j: %s', (value, problem) => {
    const r = parseReviewDecision(value);
    if (problem === undefined) expect(r.ok).toBe(true);
    else expect(!r.ok && r.problems.list).toContain(problem);
  });
});

describe('a rejection spree', () => {
  it('sends one warning per streak of rejections; a promotion starts a new streak', async () => {
    const layout = layoutFor(tempDir());
    await initProject(layout, { skills: false, gitignore: false, claudeMd: false });
    const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
    const ctx = { layout, clock, agent: { name: 'curator' } } as unknown as RunContext;
    const decide = async (verb: 'reject' | 'promote') => {
      const p = await createProposal(
        layout,
        {
          title: `idea at ${clock.now().toISOString()}`,
          proposer: 'dreamer',
          category: 'feature',
          complexity: 'M',
          summary: 's',
        },
        { clock },
      );
      clock.advance(60_000);
      if (verb === 'reject') await rejectProposal(layout, p.id, { by: 'curator', clock, feedback: 'not this' });
      else await promoteProposal(layout, p.id, { by: 'curator', clock, taskId: 'TASK-00000001', score: 0.9 });
      return warnOnRejectionSpree(ctx, 'dreamer');
    };
    const sent: boolean[] = [];
    for (let i = 0; i < REJECTION_SPREE + 1; i++) sent.push(await decide('reject'));
    sent.push(await decide('promote'));
    for (let i = 0; i < REJECTION_SPREE; i++) sent.push(await decide('reject'));
    expect(sent).toEqual([false, false, true, false, false, false, false, true]);
    const warnings = await listMessages(layout, { type: 'warning' });
    expect(warnings.map((m) => m.title)).toEqual([
      'dreamer: 3 proposals rejected in a row',
      'dreamer: 3 proposals rejected in a row',
    ]);
  });
});

describe('a promotion is done once', () => {
  it('a task an interrupted run already made from the proposal is reused, not made again', async () => {
    const layout = layoutFor(tempDir());
    await initProject(layout, { skills: false, gitignore: false, claudeMd: false });
    writeFileSync(
      layout.agentsYaml,
      'model: proposal\nagents:\n  - name: curator\n    role: curator\n    interval_seconds: 60\n',
    );
    const { config } = await loadConfig(layout);
    const ctx = {
      layout,
      config,
      clock: new FakeClock(new Date()),
      agent: config.agents[0],
      log: () => undefined,
    } as unknown as RunContext;
    const p = await createProposal(layout, {
      title: 'Extract the helper',
      proposer: 'architect',
      category: 'refactor',
      complexity: 'S',
      summary: 's',
    });
    const move = { id: p.id, action: 'promote' as const, score: 0.9, feedback: 'yes', priority: 'P2' as const };

    // The earlier run got as far as the task, then died before recording the promotion.
    const earlier = await enqueueTask(layout, {
      title: p.title,
      role: 'implement',
      created_by: 'curator',
      context: `Promoted from ${p.id} (by architect: refactor, complexity S; score 0.9).`,
    });
    const applied = await applyCuration(ctx, { moves: [move], conflicts: [] }, new Map([[p.id, p]]));
    expect(applied.promoted).toEqual([{ id: p.id, task: earlier.id, score: 0.9 }]);
    expect((await listTasks(layout)).tasks.map((t) => t.id)).toEqual([earlier.id]);
  });
});
