import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { script, text } from '../src/scripted-api/dsl.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { failTask } from '../src/tasks/fail.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { tickRun } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';

async function claimed(layout: Layout, title: string, created_by: string): Promise<{ id: string; token: string }> {
  const task = await enqueueTask(layout, { title, role: 'implement', created_by, context: title });
  const claim = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 60 });
  if (!claim.ok) throw new Error(claim.reason);
  return { id: task.id, token: claim.token };
}

describe('handoffs flow up to the product manager', () => {
  it("lists the outcomes of the tasks it created, with their handoffs, and not other people's", async () => {
    const api = await scriptedApi(
      script(text('Nothing new to file: the parser is merged and the exporter needs a person.')),
    );
    const layout = await fleetProject(
      `${claudeBlock(api)}\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 60\n  - name: impl-1\n    role: implementer\n    paused: true\n`,
    );
    const merged = await claimed(layout, 'Add the CSV parser', 'pm');
    await completeTask(layout, merged.id, merged.token, {
      result: {},
      stage: 'merged',
      handoff: 'Added src/csv.js with tests. Left: quoted newlines are not handled yet.',
    });
    const failed = await claimed(layout, 'Export to XLSX', 'pm');
    await failTask(layout, failed.id, failed.token, {
      error: 'no XLSX library is allowed in this project',
      retry: false,
      backoffSeconds: 0,
    });
    const other = await claimed(layout, 'Someone else’s task', 'alice');
    await completeTask(layout, other.id, other.token, { result: {}, stage: 'merged', handoff: 'not for the pm' });

    const { state } = await tickRun(layout, 'pm');
    expect(state.last_outcome?.kind, allLogs(layout)).toBe('success');
    const prompt = api.conversation()[0]!.firstUserText;
    expect(prompt).toContain('## What became of the tasks you created');
    expect(prompt).toMatch(new RegExp(`### ${merged.id} merged \\S+: Add the CSV parser \\(implement\\)`));
    expect(prompt).toContain('Handoff: Added src/csv.js with tests. Left: quoted newlines are not handled yet.');
    expect(prompt).toMatch(new RegExp(`### ${failed.id} failed \\S+: Export to XLSX`));
    expect(prompt).toContain('Why it ended: no XLSX library is allowed in this project');
    expect(prompt).not.toContain(other.id);
  });
});
