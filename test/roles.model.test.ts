import { describe, expect, it } from 'vitest';
import { readAgentState } from '../src/agents/state.js';
import { createProposal } from '../src/proposals/create.js';
import { listProposals } from '../src/proposals/list.js';
import { runTick } from '../src/scheduler/tick.js';
import { fleetProject } from './helpers/fleet.js';

// The two workflow models: `task` (a product manager files tasks) and
// `proposal` (proposers and a curator). A role of the other model never starts.

describe('model: task vs model: proposal, on a real tick', () => {
  it('model: task: the curator and the proposers never start, even with proposals waiting', async () => {
    const layout = await fleetProject(
      'model: task\nagents:\n  - name: curator\n    role: curator\n    interval_seconds: 1\n  - name: checker\n    role: proposer\n    focus: test_quality\n    interval_seconds: 1\n',
    );
    await createProposal(layout, {
      title: 'Left over from the proposal model',
      proposer: 'checker',
      category: 'test',
      complexity: 'S',
      summary: 'waiting',
    });

    const report = await runTick(layout);
    if (!report.ran) throw new Error(report.reason);
    expect(report.started).toEqual([]);
    expect(report.plan.decisions).toEqual([
      expect.objectContaining({
        agent: 'curator',
        action: 'skip',
        code: 'wrong_model',
        reason: 'curator runs only with model: proposal (agents.yaml has model: task)',
      }),
      expect.objectContaining({ agent: 'checker', action: 'skip', code: 'wrong_model' }),
    ]);
    expect((await readAgentState(layout, 'curator')).last_started_at).toBeUndefined();
    expect((await listProposals(layout, { states: ['active'] })).proposals).toHaveLength(1);
  });

  it('model: proposal: the product manager never starts, however empty the queue', async () => {
    const layout = await fleetProject(
      'model: proposal\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 1\n',
    );
    const report = await runTick(layout);
    if (!report.ran) throw new Error(report.reason);
    expect(report.started).toEqual([]);
    expect(report.plan.decisions).toEqual([
      expect.objectContaining({
        agent: 'pm',
        code: 'wrong_model',
        reason: 'product_manager runs only with model: task (agents.yaml has model: proposal)',
      }),
    ]);
  });
});
