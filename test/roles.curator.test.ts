import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { listMessages } from '../src/messages/list.js';
import { createProposal } from '../src/proposals/create.js';
import { listProposals } from '../src/proposals/list.js';
import type { Category } from '../src/proposals/proposal.js';
import { reactivateProposal } from '../src/proposals/reactivate.js';
import { script, structuredOutput } from '../src/scripted-api/dsl.js';
import type { ScriptedRequest } from '../src/scripted-api/scenario.js';
import { listTasks } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { later, proposalIdFor, proposalIdsIn, tickRun } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';

type Api = Awaited<ReturnType<typeof scriptedApi>>;

const yaml = (api: Api, extra = '') =>
  `${claudeBlock(api)}\nmodel: proposal\n${extra}voice_weights:\n  architect: 1.2\n  designer: 0.5\nagents:\n  - name: curator\n    role: curator\n    interval_seconds: 1\n  - name: impl\n    role: implementer\n    paused: true\n`;

async function propose(layout: Layout, title: string, proposer: string, category: Category, files: string[]) {
  return createProposal(layout, {
    title,
    proposer,
    category,
    complexity: 'S',
    summary: `${title}.`,
    rationale: `Because ${title.toLowerCase()} matters.`,
    acceptance: [`${title} is done`, 'npm test passes'],
    relevantFiles: files,
  });
}

const scores = (x: number) => ({ impact: x, effort: x, risk: x, alignment: x });

/** Every proposal file and its bytes: what "untouched" means. */
function snapshot(layout: Layout): Promise<Record<string, string>> {
  return listProposals(layout).then(({ proposals }) =>
    Object.fromEntries(proposals.map((p) => [p.file, readFileSync(p.file, 'utf8')])),
  );
}

describe('curator, end to end through the real client', () => {
  it('promotes (best score first, within max_incoming), rejects with feedback and defers; never sees the code', async () => {
    const decide = (req: ScriptedRequest) => {
      const id = (title: string) => proposalIdFor(req, title);
      return {
        decisions: [
          {
            id: id('Extract the retry helper'),
            scores: { impact: 0.8, effort: 0.7, risk: 0.8, alignment: 0.7 },
            action: 'promote',
            feedback: 'Three copies have drifted; worth it.',
            priority: 'P1',
          },
          {
            id: id('Cover the retry helper'),
            scores: scores(0.7),
            action: 'promote',
            feedback: 'Good, once the helper exists.',
          },
          {
            id: id('Rewrite it in Rust'),
            scores: scores(0.1),
            action: 'reject',
            feedback: 'No evidence the language is the problem; name the bottleneck.',
          },
          { id: id('Add dark mode'), scores: scores(0.8), action: 'promote', feedback: 'Users asked for it.' },
          { id: id('Plugin system'), scores: scores(0.5), action: 'defer', feedback: 'After the retry work lands.' },
        ],
        conflicts: [],
      };
    };
    const api = await scriptedApi(script(structuredOutput(decide)));
    const layout = await fleetProject(yaml(api, 'queue_limits:\n  max_incoming: 1\n'));
    const retry = await propose(layout, 'Extract the retry helper', 'architect', 'refactor', ['src/retry.js']);
    const cover = await propose(layout, 'Cover the retry helper', 'checker', 'test', ['test/retry.test.js']);
    const rust = await propose(layout, 'Rewrite it in Rust', 'designer', 'feature', ['src/main.js']);
    const dark = await propose(layout, 'Add dark mode', 'designer', 'feature', ['src/ui.js']);
    const plugins = await propose(layout, 'Plugin system', 'architect', 'feature', ['src/plugins.js']);

    const { state, record } = await tickRun(layout, 'curator');
    expect(state.last_outcome?.kind, allLogs(layout)).toBe('success');

    const first = api.conversation()[0]!;
    expect(first.cwd).toContain('/scratch/');
    expect(first.tools).toContain('StructuredOutput');
    expect(first.firstUserText).toContain('proposer designer (voice weight 0.5)');
    expect(first.firstUserText).toContain('`promote` creates a task only when the score is at least 0.6');
    expect(proposalIdsIn(first)).toHaveLength(5);

    const byId = new Map((await listProposals(layout)).proposals.map((p) => [p.id, p]));
    // 0.76 × voice 1.2 = 0.912: promoted, and it took the only room in the queue.
    expect(byId.get(retry.id)).toMatchObject({ state: 'promoted', score: 0.912, decided_by: 'curator' });
    const [task, ...others] = (await listTasks(layout)).tasks;
    expect(others).toEqual([]);
    expect(task).toMatchObject({
      id: byId.get(retry.id)!.task_id,
      title: 'Extract the retry helper',
      role: 'implement',
      priority: 'P1',
      created_by: 'curator',
    });
    expect(task!.body).toContain(`Promoted from ${retry.id} (by architect: refactor, complexity S; score 0.912).`);
    expect(task!.body).toContain('- [ ] Extract the retry helper is done\n- [ ] npm test passes');
    // 0.7 would pass the threshold, but the queue is full: deferred, not overfilled.
    expect(byId.get(cover.id)).toMatchObject({ state: 'deferred' });
    expect(byId.get(cover.id)!.feedback).toContain('Not promoted yet: max_incoming reached: 1/1');
    expect(byId.get(rust.id)).toMatchObject({
      state: 'rejected',
      feedback: 'No evidence the language is the problem; name the bottleneck.',
    });
    // 0.8 × voice 0.5 = 0.4 < 0.6: the curator's "promote" becomes a deferral.
    expect(byId.get(dark.id)).toMatchObject({
      state: 'deferred',
      feedback:
        'Scored 0.4 (0.8 × voice weight 0.5), below promote_threshold 0.6; deferred. Curator: Users asked for it.',
    });
    expect(byId.get(plugins.id)).toMatchObject({ state: 'deferred', feedback: 'After the retry work lands.' });

    expect(record.result).toMatchObject({
      promoted: [{ id: retry.id, task: task!.id, score: 0.912 }],
      rejected: [rust.id],
      deferred: [cover.id, dark.id, plugins.id].sort(),
    });
    expect(await listMessages(layout)).toEqual([]);
  });

  it('proposals touching the same files, or that it says contradict, are deferred with one question per conflict, however many runs see it', async () => {
    const decide = (req: ScriptedRequest) => {
      const ids = proposalIdsIn(req);
      const auth = ids.filter((id) => !req.firstUserText.includes(`### ${id} — Cache the config`));
      return {
        decisions: ids.map((id) => ({ id, scores: scores(0.9), action: 'promote', feedback: 'Worth doing.' })),
        // From the second run on it names the contradiction too; the question was already asked.
        conflicts: req.firstUserText.includes('Earlier feedback')
          ? [{ ids: auth, tradeoffs: 'JWT scales without a store; sessions can be revoked at once.' }]
          : [],
      };
    };
    const api = await scriptedApi(script(structuredOutput(decide)));
    const layout = await fleetProject(yaml(api));
    const jwt = await propose(layout, 'Move auth to JWT', 'architect', 'refactor', ['src/auth.js']);
    const sessions = await propose(layout, 'Keep server sessions, add expiry', 'designer', 'feature', [
      './src/auth.js',
      'src/session.js',
    ]);
    const cache = await propose(layout, 'Cache the config', 'architect', 'refactor', ['src/config.js']);

    for (let run = 1; run <= 3; run++) {
      const { state } = await tickRun(layout, 'curator', later(3600 * run));
      expect(state.last_outcome?.kind, allLogs(layout)).toBe('success');
      const byId = new Map((await listProposals(layout)).proposals.map((p) => [p.id, p]));
      expect(byId.get(jwt.id)).toMatchObject({ state: 'deferred', conflicts_with: [sessions.id] });
      expect(byId.get(sessions.id)).toMatchObject({ state: 'deferred', conflicts_with: [jwt.id] });
      expect(byId.get(jwt.id)!.feedback).toMatch(/^In conflict with PROP-\w+ \(both touch src\/auth\.js/);
      // Someone sends both back without deciding: the next run finds the same conflict.
      await reactivateProposal(layout, jwt.id);
      await reactivateProposal(layout, sessions.id);
    }
    expect((await listProposals(layout, { states: ['promoted'] })).proposals.map((p) => p.id)).toEqual([cache.id]);

    const messages = await listMessages(layout);
    expect(messages).toHaveLength(1);
    const [question] = messages;
    const pair = [jwt.id, sessions.id].sort();
    expect(question).toMatchObject({
      type: 'question',
      from: 'curator',
      title: `Conflicting proposals: ${pair.join(' vs ')}`,
    });
    expect(question!.body).toContain('they touch `src/auth.js`');
    expect(question!.body).toContain(`tickfleet proposals reactivate ${pair[0]}`);
    expect(question!.body).toContain('"Move auth to JWT" by architect');
  });

  it('a decision that leaves a proposal out fails the run and moves nothing', async () => {
    const api = await scriptedApi(
      script(
        structuredOutput((req) => ({
          decisions: [{ id: proposalIdFor(req, 'First idea'), scores: scores(1), action: 'promote', feedback: 'Yes.' }],
          conflicts: [],
        })),
      ),
    );
    const layout = await fleetProject(yaml(api));
    await propose(layout, 'First idea', 'architect', 'refactor', ['src/a.js']);
    const second = await propose(layout, 'Second idea', 'architect', 'refactor', ['src/b.js']);
    const before = await snapshot(layout);

    const { state } = await tickRun(layout, 'curator');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'invalid_decision' });
    expect(state.last_outcome!.reason).toContain(
      `invalid curator decision, no proposal moved: decisions: ${second.id} has no decision; decide every proposal shown`,
    );
    expect(await snapshot(layout)).toEqual(before);
    expect((await listTasks(layout)).tasks).toEqual([]);
  });

  it('a decision that breaks the schema: the client gives up after its retries, the run fails, nothing moves', async () => {
    const api = await scriptedApi(
      script(
        structuredOutput((req) => ({
          decisions: proposalIdsIn(req).map((id) => ({ id, scores: scores(1), action: 'maybe', feedback: 'Hm.' })),
          conflicts: [],
        })),
      ),
    );
    const layout = await fleetProject(yaml(api));
    await propose(layout, 'Only idea', 'architect', 'refactor', ['src/a.js']);
    const before = await snapshot(layout);

    const { state } = await tickRun(layout, 'curator');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'no_structured_output' });
    expect(state.consecutive_failures).toBe(1);
    expect(await snapshot(layout)).toEqual(before);
    expect((await listTasks(layout)).tasks).toEqual([]);
  });
});
