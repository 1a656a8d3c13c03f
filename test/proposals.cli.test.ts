import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { deferProposal } from '../src/proposals/defer.js';
import { findProposal, listProposals } from '../src/proposals/list.js';
import { rejectProposal } from '../src/proposals/reject.js';
import { cli } from './helpers/roles.js';
import { tempDir } from './helpers/tmp.js';

const AGENTS = `model: proposal
proposal_limits:
  checker:
    max_active: 3
    max_per_run: 2
proposal_defaults:
  max_active: 1
  max_per_run: 1
agents:
  - name: checker
    role: proposer
    focus: test_quality
    interval_seconds: 60
  - name: architect
    role: proposer
    focus: architecture
    interval_seconds: 60
  - name: curator
    role: curator
    interval_seconds: 60
`;

async function project(yaml = AGENTS): Promise<string> {
  const dir = tempDir();
  expect((await cli(['-C', dir, 'init', '-y', '--no-skills', '--no-gitignore'])).code).toBe(0);
  writeFileSync(layoutFor(dir).agentsYaml, yaml);
  return dir;
}

const proposal = (title: string, file = 'src/parse.ts') => [
  'propose',
  '--title',
  title,
  '--category',
  'test',
  '--complexity',
  'S',
  '--summary',
  'parse() has no test for ""',
  '--rationale',
  'src/parse.ts:3 is untested',
  '--criteria',
  'a test covers ""',
  '--file',
  file,
];
const as = (agent: string, run: string) => ({ TICKFLEET_AGENT: agent, TICKFLEET_RUN_ID: run });

/** The id `propose --json` printed; a refusal fails the test with the CLI's own message. */
function idOf(r: { code: number; stdout: string; stderr: string }): string {
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { id: string }).id;
}

describe('tickfleet propose (built CLI): the gate into the proposal queue', () => {
  it('creates a proposal in seed format, recording the proposer and the run', async () => {
    const dir = await project();
    const id = idOf(
      await cli(
        ['-C', dir, ...proposal('Cover the empty case', './src//parse.ts'), '--criteria', 'npm test passes', '--json'],
        as('checker', 'run-1'),
      ),
    );
    const stored = await findProposal(layoutFor(dir), id);
    expect(stored).toMatchObject({
      proposer: 'checker',
      run_id: 'run-1',
      state: 'active',
      title: 'Cover the empty case',
    });
    expect(stored.body).toBe(
      '\n## Summary\nparse() has no test for ""\n\n## Rationale\nsrc/parse.ts:3 is untested\n\n## Acceptance Criteria\n- [ ] a test covers ""\n- [ ] npm test passes\n\n## Relevant Files\n- src/parse.ts\n',
    );
  });

  it('refuses past max_per_run of the same run, with one line naming the limit', async () => {
    const dir = await project();
    expect((await cli(['-C', dir, ...proposal('One')], as('checker', 'run-1'))).code).toBe(0);
    expect((await cli(['-C', dir, ...proposal('Two')], as('checker', 'run-1'))).code).toBe(0);
    const third = await cli(['-C', dir, ...proposal('Three')], as('checker', 'run-1'));
    expect(third).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        '✗ checker already made 2/2 proposals in run run-1; stop proposing until the next run (proposal_limits.checker.max_per_run)\n',
    });
    // A new run may propose again (until max_active).
    expect((await cli(['-C', dir, ...proposal('Three')], as('checker', 'run-2'))).code).toBe(0);
  });

  it('refuses past max_active; a proposer not in proposal_limits gets proposal_defaults', async () => {
    const dir = await project();
    for (const [n, run] of [
      ['A', 'r1'],
      ['B', 'r1'],
      ['C', 'r2'],
    ] as const)
      expect((await cli(['-C', dir, ...proposal(n)], as('checker', run))).code).toBe(0);
    expect(await cli(['-C', dir, ...proposal('D')], as('checker', 'r3'))).toMatchObject({
      code: 1,
      stderr:
        '✗ checker already has 3/3 active proposals; wait for the curator to decide some (proposal_limits.checker.max_active)\n',
    });

    expect((await cli(['-C', dir, ...proposal('Split the parser')], as('architect', 'r4'))).code).toBe(0);
    expect(await cli(['-C', dir, ...proposal('And the lexer')], as('architect', 'r5'))).toMatchObject({
      code: 1,
      stderr:
        '✗ architect already has 1/1 active proposals; wait for the curator to decide some (proposal_defaults.max_active)\n',
    });

    // Once the curator decides one, there is room again.
    const [oldest] = (await listProposals(layoutFor(dir), { proposer: 'checker' })).proposals;
    await rejectProposal(layoutFor(dir), oldest!.id, { by: 'curator', feedback: 'no' });
    expect((await cli(['-C', dir, ...proposal('D')], as('checker', 'r3'))).code).toBe(0);
  });

  it.each([
    [
      'an unknown category',
      ['propose', '--title', 'x', '--category', 'tests', '--complexity', 'S', '--summary', 's'],
      2,
      'propose: --category must be one of test, refactor, feature, debt, plan-task, got "tests"',
    ],
    [
      'no rationale',
      ['propose', '--title', 'x', '--category', 'test', '--complexity', 'S', '--summary', 's'],
      2,
      'propose: --rationale is missing; say why it matters now, with evidence (a failing test, file:line, a plan item)',
    ],
    [
      'an absolute path',
      [...proposal('x', '/etc/passwd')],
      2,
      'propose: --file "/etc/passwd" must be a path relative to the project root, such as src/app.ts',
    ],
    [
      'a path outside the project',
      [...proposal('x', '../other/x.ts')],
      2,
      'propose: --file "../other/x.ts" must be a path relative to the project root, such as src/app.ts',
    ],
    [
      'a criterion of two lines',
      [...proposal('x'), '--criteria', 'two\nlines'],
      1,
      'proposal acceptance criterion must be one non-empty line, got "two\\nlines"',
    ],
  ])('refuses bad content: %s', async (_label, args, code, message) => {
    const dir = await project();
    expect(await cli(['-C', dir, ...args], as('checker', 'run-1'))).toMatchObject({ code, stderr: `✗ ${message}\n` });
    expect((await listProposals(layoutFor(dir))).proposals).toEqual([]);
  });

  it('refuses agents that are not proposers, agents without a run, and any proposal under model: task', async () => {
    const dir = await project();
    expect((await cli(['-C', dir, ...proposal('x')], as('curator', 'run-1'))).stderr).toBe(
      '✗ propose: agent curator is a curator; only proposer agents propose (a curator works through its own commands)\n',
    );
    expect((await cli(['-C', dir, ...proposal('x')], { TICKFLEET_AGENT: 'checker' })).stderr).toBe(
      '✗ propose: $TICKFLEET_RUN_ID is not set; agents propose from inside a run\n',
    );
    const taskModel = await project(AGENTS.replace('model: proposal', 'model: task'));
    expect(await cli(['-C', taskModel, ...proposal('x')])).toMatchObject({
      code: 1,
      stderr:
        '✗ propose: agents.yaml has model: task; proposals are curated only with model: proposal (create a task with `tickfleet enqueue` instead)\n',
    });
  });

  it('a person proposes without limits (architect would be held to max_active 1)', async () => {
    const dir = await project();
    for (const t of ['One', 'Two']) {
      const r = await cli(
        ['-C', dir, 'propose', '--title', t, '--category', 'feature', '--complexity', 'M', '--summary', 's'],
        { USER: 'architect' },
      );
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await listProposals(layoutFor(dir))).proposals.map((p) => p.proposer)).toEqual(['architect', 'architect']);
  });
});

describe('tickfleet proposals (built CLI)', () => {
  it('lists an agent its own rejections with the feedback, latest first; --json for scripts', async () => {
    const dir = await project();
    const layout = layoutFor(dir);
    const ids: string[] = [];
    for (const t of ['First', 'Second'])
      ids.push(idOf(await cli(['-C', dir, ...proposal(t), '--json'], as('checker', `run-${t}`))));
    await cli(['-C', dir, ...proposal('Other')], as('architect', 'run-x'));
    await rejectProposal(layout, ids[0]!, { by: 'curator', feedback: 'Duplicates TASK-1.' });

    const mine = await cli(['-C', dir, 'proposals', '--mine', '--state', 'rejected'], { TICKFLEET_AGENT: 'checker' });
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout).toBe(`${ids[0]}  rejected  checker  test  S  First\n    feedback: Duplicates TASK-1.\n`);
    const json = JSON.parse(
      (await cli(['-C', dir, 'proposals', '--mine', '--json'], { TICKFLEET_AGENT: 'checker' })).stdout,
    ) as { id: string; state: string }[];
    expect(json.map((p) => p.state).sort()).toEqual(['active', 'rejected']);
    expect((await cli(['-C', dir, 'proposals', '--state', 'nope'])).stderr).toBe(
      '✗ --state must be one of active, promoted, deferred, rejected, got nope\n',
    );
  });

  it('a person rejects or reactivates a deferred proposal; an agent may not', async () => {
    const dir = await project();
    const layout = layoutFor(dir);
    const a = idOf(await cli(['-C', dir, ...proposal('A'), '--json'], as('checker', 'r1')));
    const b = idOf(await cli(['-C', dir, ...proposal('B'), '--json'], as('checker', 'r1')));
    for (const id of [a, b])
      await deferProposal(layout, id, { by: 'curator', reason: 'conflict', conflictsWith: [id === a ? b : a] });

    expect(
      await cli(['-C', dir, 'proposals', 'reject', b, '--feedback', 'A is the better design'], {
        TICKFLEET_AGENT: 'checker',
      }),
    ).toMatchObject({
      code: 1,
      stderr:
        "✗ proposals reject is for people; agent checker cannot decide proposals (the curator's decisions come from its run)\n",
    });
    expect(await cli(['-C', dir, 'proposals', 'reactivate', a])).toMatchObject({
      code: 0,
      stdout: `${a} active again: A\n`,
    });
    expect(await cli(['-C', dir, 'proposals', 'reject', b, '--feedback', 'A is the better design'])).toMatchObject({
      code: 0,
      stdout: `${b} rejected: B\n`,
    });
    expect(await findProposal(layout, a)).toMatchObject({ state: 'active', conflicts_with: [] });
    expect(await findProposal(layout, b)).toMatchObject({ state: 'rejected', feedback: 'A is the better design' });
  });
});
