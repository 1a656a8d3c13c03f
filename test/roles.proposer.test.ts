import { describe, expect, it } from 'vitest';
import { createProposal } from '../src/proposals/create.js';
import { listProposals } from '../src/proposals/list.js';
import { rejectProposal } from '../src/proposals/reject.js';
import { runTick } from '../src/scheduler/tick.js';
import { script, text } from '../src/scripted-api/dsl.js';
import type { ScriptedRequest } from '../src/scripted-api/scenario.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { bash, later, runIdIn, tickRun, toolResults } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';

/** One proposal per call, titled after the run so the two runs' proposals differ. */
const propose = (n: number) => (req: ScriptedRequest) =>
  `tickfleet propose --title 'Cover parse case ${n} (${runIdIn(req)})' --category test --complexity S --summary 'parse() case ${n} has no test' --rationale 'src/parse.js:${n} is untested' --criteria 'a test covers case ${n}' --file test/parse${n}.test.js`;

const yaml = (api: Awaited<ReturnType<typeof scriptedApi>>) =>
  `${claudeBlock(api)}\nmodel: proposal\nproposal_limits:\n  checker:\n    max_active: 3\n    max_per_run: 2\nagents:\n  - name: checker\n    role: proposer\n    focus: test_quality\n    interval_seconds: 60\n`;
const files = { 'README.md': '# parser\n', 'src/parse.js': 'export const parse = (s) => s.split(",");\n' };

describe('proposer, end to end through the real client', () => {
  it('reads its rejections, proposes through the CLI, and is refused past max_per_run', async () => {
    const api = await scriptedApi(
      script(
        bash('tickfleet proposals --mine --state rejected'),
        bash(propose(1)),
        bash(propose(2)),
        bash(propose(3)),
        text('Proposed what the limits allowed.'),
      ),
    );
    const layout = await fleetProject(yaml(api), files);
    const old = await createProposal(layout, {
      title: 'Snapshot every output',
      proposer: 'checker',
      category: 'test',
      complexity: 'M',
      summary: 'snapshots',
    });
    await rejectProposal(layout, old.id, {
      by: 'curator',
      feedback: 'Snapshots of everything hide what matters; assert the behaviour.',
    });

    const { state, record } = await tickRun(layout, 'checker');
    expect(state.last_outcome?.kind, allLogs(layout)).toBe('success');
    const prompt = api.conversation()[0]!.firstUserText;
    expect(prompt).toContain('You are a test-quality proposer');
    expect(prompt).toContain(`- ${old.id} "Snapshot every output"`);
    expect(prompt).toContain('Snapshots of everything hide what matters; assert the behaviour.');
    expect(prompt).toContain('0 of yours are active now, so at most 2 more');

    const results = toolResults(layout, 'checker', record.run_id);
    expect(results[0]).toMatchObject({
      isError: false,
      content: expect.stringContaining(`${old.id}  rejected  checker`),
    });
    expect(results[1]).toMatchObject({
      isError: false,
      content: expect.stringMatching(
        /^PROP-[0-9a-f]{8} created in proposals\/active\/ \(test, S\): Cover parse case 1/,
      ),
    });
    expect(results[2]!.isError).toBe(false);
    expect(results[3]).toMatchObject({
      isError: true,
      content: expect.stringContaining(
        `checker already made 2/2 proposals in run ${record.run_id}; stop proposing until the next run (proposal_limits.checker.max_per_run)`,
      ),
    });

    const active = (await listProposals(layout, { states: ['active'] })).proposals;
    expect(active.map((p) => [p.title, p.run_id]).sort()).toEqual([
      [`Cover parse case 1 (${record.run_id})`, record.run_id],
      [`Cover parse case 2 (${record.run_id})`, record.run_id],
    ]);
    expect(active[0]!.body).toMatch(
      /## Rationale\nsrc\/parse\.js:\d is untested\n\n## Acceptance Criteria\n- \[ \] a test covers case \d\n\n## Relevant Files\n- test\/parse\d\.test\.js\n/,
    );
    expect(record.result).toEqual({ proposals: active.map((p) => p.id).sort() });
  });

  it('is refused past max_active, and at max_active the planner no longer starts it', async () => {
    const api = await scriptedApi(script(bash(propose(1)), bash(propose(2)), text('Proposed one.')));
    const layout = await fleetProject(yaml(api), files);
    for (const n of [7, 8]) {
      await createProposal(layout, {
        title: `Earlier ${n}`,
        proposer: 'checker',
        category: 'test',
        complexity: 'S',
        summary: 'earlier',
        runId: 'an-earlier-run',
      });
    }

    const { record } = await tickRun(layout, 'checker');
    const results = toolResults(layout, 'checker', record.run_id);
    expect(results[0]!.isError, allLogs(layout)).toBe(false);
    expect(results[1]).toMatchObject({
      isError: true,
      content: expect.stringContaining(
        'checker already has 3/3 active proposals; wait for the curator to decide some (proposal_limits.checker.max_active)',
      ),
    });
    expect((await listProposals(layout, { states: ['active'] })).proposals).toHaveLength(3);

    const next = await runTick(layout, { clock: later(3600), dryRun: true });
    expect(next.ran && next.plan.decisions).toEqual([
      expect.objectContaining({ agent: 'checker', action: 'skip', code: 'max_active_proposals' }),
    ]);
  });
});
