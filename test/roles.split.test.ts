import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { runTick } from '../src/scheduler/tick.js';
import { script, text } from '../src/scripted-api/dsl.js';
import type { ScriptedRequest } from '../src/scripted-api/scenario.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { failTask } from '../src/tasks/fail.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { releaseTask } from '../src/tasks/release.js';
import { splitTask } from '../src/tasks/split.js';
import { completeSplit, settleSplitParents } from '../src/tasks/splitSettle.js';
import { taskTree, treeLines } from '../src/tasks/tree.js';
import { addTask, tempLayout } from './fixtures/tasks/project.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { bash, later, tickRun, toolResults } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';

/** The task id the instructions name (`## Your task: TASK-…`). */
function taskIdIn(req: ScriptedRequest): string {
  const id = /## Your task: (TASK-[0-9a-f]{8})/.exec(req.firstUserText)?.[1];
  if (!id) throw new Error('no task in the instructions');
  return id;
}

/** Merge a task as a skip_pr delivery would: claimed, then done as merged with its handoff. */
async function mergeByHand(layout: Parameters<typeof claimTask>[0], id: string, handoff: string): Promise<void> {
  const claim = await claimTask(layout, id, { holder: 'impl-1', leaseSeconds: 60 });
  if (!claim.ok) throw new Error(claim.reason);
  await completeTask(layout, id, claim.token, { result: {}, handoff, stage: 'merged' });
}

describe('split, end to end through the real client', () => {
  it('an implementer splits its task into children; the parent completes once they are merged; depth is limited', async () => {
    // Every run splits its own task: the first (depth 0) may, the second (a child, depth 1) may not.
    const api = await scriptedApi(
      script(
        bash(
          (req) =>
            `tickfleet split ${taskIdIn(req)} --child "Parse the input :: read argv into a record" --child "Print the result :: format the record" --after 2:1`,
        ),
        text('Too large for one run: split into parsing and printing.'),
      ),
    );
    const layout = await fleetProject(
      `${claudeBlock(api)}\nreview:\n  backend: local\ntasks:\n  max_depth: 1\n  retry_backoff_seconds: 0\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n`,
    );
    const parent = await enqueueTask(layout, {
      title: 'Build the report command',
      role: 'implement',
      created_by: 'pm',
      priority: 'P1',
      context: 'parse, then print',
    });

    const first = await tickRun(layout, 'impl-1');
    expect(first.state.last_outcome?.kind, allLogs(layout)).toBe('success');
    // Written in the same second, so listed by id: order them as the split named them.
    const children = (await listTasks(layout, { parent: parent.id })).tasks.sort((x, y) =>
      x.title.localeCompare(y.title),
    );
    expect(children.map((c) => [c.title, c.role, c.priority, c.created_by, c.state])).toEqual([
      ['Parse the input', 'implement', 'P1', 'impl-1', 'incoming'],
      ['Print the result', 'implement', 'P1', 'impl-1', 'incoming'],
    ]);
    const [a, b] = children as [(typeof children)[0], (typeof children)[0]];
    expect(b.blocked_by).toEqual([a.id]);
    expect(a.body).toContain('read argv into a record');
    // The parent ended without a branch: done, waiting for its children, with the model's summary as handoff.
    const waiting = await findTask(layout, parent.id);
    expect([waiting.state, waiting.stage]).toEqual(['done', 'split']);
    expect(waiting.result?.split_into).toEqual([a.id, b.id]);
    expect(waiting.body).toContain('## Split');
    expect(waiting.body).toContain('Too large for one run');
    expect(first.record.result).toEqual({ split_into: [a.id, b.id] });
    expect(treeLines(await taskTree(layout, parent.id))).toEqual([
      `* ${parent.id} · split · Build the report command`,
      `  ${a.id} · queued · Parse the input`,
      `  ${b.id} · queued · Print the result`,
    ]);

    // A child is at depth 1 = tasks.max_depth: its split is refused, and nothing is created.
    const second = await tickRun(layout, 'impl-1', later(120));
    const refused = toolResults(layout, 'impl-1', second.record.run_id)[0];
    expect(refused).toMatchObject({
      isError: true,
      content: expect.stringContaining(`${a.id} is at depth 1 and tasks.max_depth is 1: it cannot be split further`),
    });
    expect((await listTasks(layout, { parent: a.id })).tasks).toEqual([]);

    // Not before every child is merged.
    await mergeByHand(layout, a.id, 'parsing done');
    await runTick(layout);
    expect((await findTask(layout, parent.id)).stage).toBe('split');
    await mergeByHand(layout, b.id, 'printing done');
    await runTick(layout);
    const merged = await findTask(layout, parent.id);
    expect(merged.stage, allLogs(layout)).toBe('merged');
    expect(merged.body).toContain(`### ${a.id} (merged): Parse the input\n\nparsing done`);
    expect(merged.body).toContain(`### ${b.id} (merged): Print the result\n\nprinting done`);
  });
});

describe('settling split parents', () => {
  it('fails the parent when a child fails for good, with the reason and the handoffs', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const parent = await addTask(layout, clock);
    const claim = await claimTask(layout, parent.id, { holder: 'impl-1', leaseSeconds: 60, clock });
    if (!claim.ok) throw new Error(claim.reason);
    const { children } = await splitTask(layout, parent.id, claim.token, [{ title: 'one' }, { title: 'two' }], {
      maxDepth: 2,
      by: 'impl-1',
      clock,
    });
    await completeSplit(layout, parent.id, claim.token, { result: {}, clock });
    await expect(settleSplitParents(layout, { clock })).resolves.toEqual([]);

    const c = await claimTask(layout, children[0]!.id, { holder: 'impl-1', leaseSeconds: 60, clock });
    if (!c.ok) throw new Error(c.reason);
    await failTask(layout, children[0]!.id, c.token, {
      error: 'tests never pass',
      retry: false,
      backoffSeconds: 0,
      clock,
    });
    expect(await settleSplitParents(layout, { clock })).toEqual([
      expect.objectContaining({ id: parent.id, outcome: 'failed', child: children[0]!.id }),
    ]);
    const failed = await findTask(layout, parent.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe(`child ${children[0]!.id} failed: tests never pass`);
    // Settled once: the next pass has nothing to do.
    await expect(settleSplitParents(layout, { clock })).resolves.toEqual([]);
  });

  it('a parent whose run died after the split waits as split, not for another run', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const parent = await addTask(layout, clock);
    const claim = await claimTask(layout, parent.id, { holder: 'impl-1', leaseSeconds: 60, clock });
    if (!claim.ok) throw new Error(claim.reason);
    await splitTask(layout, parent.id, claim.token, [{ title: 'one' }], { maxDepth: 2, by: 'impl-1', clock });
    // Still claimed: its run's follow-up will complete it.
    await settleSplitParents(layout, { clock });
    expect((await findTask(layout, parent.id)).state).toBe('claimed');
    // As reconcile does for a dead runner.
    await releaseTask(layout, parent.id, claim.token, { note: 'runner died' });
    await settleSplitParents(layout, { clock });
    const waiting = await findTask(layout, parent.id);
    expect([waiting.state, waiting.stage, waiting.lease]).toEqual(['done', 'split', undefined]);
  });

  it('refuses a bad child before writing any, and a second split', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const parent = await addTask(layout, clock);
    const claim = await claimTask(layout, parent.id, { holder: 'impl-1', leaseSeconds: 60, clock });
    if (!claim.ok) throw new Error(claim.reason);
    const opts = { maxDepth: 2, by: 'impl-1', clock };
    await expect(
      splitTask(layout, parent.id, claim.token, [{ title: 'a' }, { title: 'b', after: [2] }], opts),
    ).rejects.toThrow('child 2 can wait only for an earlier child (1 to 1), got 2');
    await expect(splitTask(layout, parent.id, 'not-the-token', [{ title: 'a' }], opts)).rejects.toThrow();
    expect((await listTasks(layout)).tasks).toHaveLength(1);
    await splitTask(layout, parent.id, claim.token, [{ title: 'a' }], opts);
    await expect(splitTask(layout, parent.id, claim.token, [{ title: 'c' }], opts)).rejects.toThrow(
      `${parent.id} was split already`,
    );
  });
});
