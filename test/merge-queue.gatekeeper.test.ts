import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { readVerdict } from '../src/gatekeeper/store.js';
import { readQueueState } from '../src/merge-queue/state.js';
import { listMessages } from '../src/messages/list.js';
import { ReviewStore } from '../src/review/reviewStore.js';
import { runTick } from '../src/scheduler/tick.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { allLogs, fleetProject, waitFor } from './helpers/fleet.js';
import { deliverBranch } from './helpers/gatekeeper.js';
import { CULPRIT_TEST } from './helpers/mergeQueue.js';
import { git } from './helpers/tmp.js';

async function tick(layout: Layout, clock: FakeClock): Promise<void> {
  const report = await runTick(layout, { clock, spawner: async () => ({ pid: 1 }) });
  if (!report.ran) throw new Error(report.reason);
  clock.advance(60_000);
}

describe('an auto-approved branch whose merge fails', () => {
  it('goes back with a fix task from the merge queue, and no person is asked', async () => {
    const layout = await fleetProject(
      'review:\n  backend: local\n  test_command: sh test.sh\ngatekeeper:\n  enabled: true\n  auto_approve: true\n  required_checks: [lint]\n  commands:\n    lint: "true"\nagents: []\n',
      { 'README.md': '# app\n', 'test.sh': CULPRIT_TEST },
    );
    git(layout.root, 'add', '-A');
    git(layout.root, 'commit', '-qm', 'tickfleet');
    const clock = new FakeClock(new Date());
    const d = await deliverBranch(layout, { title: 'add a debug file', files: { 'CULPRIT-debug.txt': 'x\n' } });

    await tick(layout, clock);
    await waitFor(`the lint verdict\n${allLogs(layout)}`, () => readVerdict(layout, d.review, d.head, 'lint'));
    await tick(layout, clock);
    const batch = await waitFor(
      `the merge queue's batch\n${allLogs(layout)}`,
      async () => (await readQueueState(layout)).last[0],
    );
    expect(batch).toMatchObject({ outcome: 'rejected', culprits: [d.review] });
    await tick(layout, clock);
    await tick(layout, clock);

    expect((await new ReviewStore(layout).read('pending', d.review))?.meta.merge_error).toMatch(/tests on agent\//);
    const fixes = (await listTasks(layout, { states: ['incoming'] })).tasks;
    expect(fixes).toEqual([expect.objectContaining({ created_by: 'merge-queue', wip_branch: d.branch })]);
    expect(fixes[0]!.body).toContain('FAIL: CULPRIT-debug.txt must not ship');
    expect((await findTask(layout, d.task.id)).stage).toBe('in_review');
    expect((await listMessages(layout)).filter((m) => /needs a person/.test(m.title))).toEqual([]);
  }, 60_000);
});
