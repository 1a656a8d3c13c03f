import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { readQueueState, writeQueueState } from '../src/merge-queue/state.js';
import { groupAlive } from '../src/process/group.js';
import { ReviewStore } from '../src/review/reviewStore.js';
import { runTick } from '../src/scheduler/tick.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, waitFor } from './helpers/fleet.js';
import { approvedBranch, queueProject } from './helpers/mergeQueue.js';
import { git } from './helpers/tmp.js';

// Its first run says it started, then runs far longer than the test waits; every later run passes at once.
const SLOW_ONCE = `#!/bin/sh
dir="$(git rev-parse --git-common-dir)"
if [ ! -f "$dir/slow-ran" ]; then touch "$dir/slow-ran"; sleep 120; fi
echo "all tests pass"
`;

async function tick(layout: Layout, clock: FakeClock): Promise<void> {
  const report = await runTick(layout, { clock, spawner: async () => ({ pid: 1 }) });
  if (!report.ran) throw new Error(report.reason);
  clock.advance(60_000);
}

const logs = (layout: Layout) => `${allLogs(layout)}\n${path.join(layout.logs)}`;

describe('the merge queue runs in a detached process the tick starts and recovers', () => {
  it('killed with SIGKILL mid-test: the next tick ends its test, leaves the base as it was, and the batch lands in full', async () => {
    const layout = await queueProject(SLOW_ONCE);
    const clock = new FakeClock(new Date());
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const b = await approvedBranch(layout, 'add b', { 'b.txt': 'b\n' });
    const before = git(layout.root, 'rev-parse', 'main').trim();

    await tick(layout, clock);
    const inFlight = await waitFor(`a batch testing\n${logs(layout)}`, async () => {
      const s = await readQueueState(layout);
      return s.in_flight?.test ? s.in_flight : undefined;
    });
    expect(inFlight.entries.map((e) => e.review)).toEqual([a.review, b.review]);
    expect((await findTask(layout, a.task.id)).stage).toBe('merging');
    process.kill(inFlight.owner.pid, 'SIGKILL');
    await waitFor('the queue process gone', async () => {
      try {
        process.kill(inFlight.owner.pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    // Its test command lives on in its own group until the recovery ends it.
    expect(await groupAlive(inFlight.test!.pgid)).toBe(true);
    expect(git(layout.root, 'rev-parse', 'main').trim()).toBe(before);

    await tick(layout, clock);
    const recovered = (await readQueueState(layout)).last.find((r) => r.id === inFlight.id);
    expect(recovered).toMatchObject({ outcome: 'interrupted', landed: [], test_runs: 1 });
    expect(recovered!.reason).toContain(`main was left at ${before.slice(0, 12)}`);
    expect(await groupAlive(inFlight.test!.pgid)).toBe(false);

    // The tick started the queue again: the whole batch lands, never a part of it.
    const landed = await waitFor(`the batch landed\n${logs(layout)}`, async () =>
      (await readQueueState(layout)).last.find((r) => r.outcome === 'landed'),
    );
    expect(landed.landed).toEqual([a.review, b.review]);
    expect(git(layout.root, 'log', '--format=%s', `${before}..main`).trim().split('\n')).toHaveLength(2);
    expect((await findTask(layout, b.task.id)).stage).toBe('merged');
    expect(existsSync(path.join(layout.root, 'b.txt'))).toBe(true);
    expect(git(layout.root, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 60_000);

  it('killed after the base advanced: the next tick finishes the landing (reviews and tasks merged), nothing is tested again', async () => {
    const layout = await queueProject('#!/bin/sh\necho "all tests pass"\n');
    const clock = new FakeClock(new Date());
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const before = git(layout.root, 'rev-parse', 'main').trim();
    const entry = {
      review: a.review,
      task: a.task.id,
      branch: a.branch,
      base: 'main',
      head: a.head,
      approved: '2026-01-01T00:00:01Z',
    };
    // The crash as it is left on disk: the landing written, the base advanced, then SIGKILL before the bookkeeping.
    git(layout.root, 'merge', '-q', '--ff-only', a.head);
    await writeQueueState(layout, {
      in_flight: {
        id: 'MQ-forged',
        base: 'main',
        base_sha: before,
        entries: [entry],
        started_at: new Date().toISOString(),
        owner: { pid: 999_999, start: 'gone' },
        test_runs: 1,
        landing: { tip: a.head, landed: [{ ...entry, merged_head: a.head }] },
      },
      last: [],
    });

    await tick(layout, clock);
    expect((await readQueueState(layout)).last[0]).toMatchObject({ id: 'MQ-forged', outcome: 'landed', to: a.head });
    expect(await new ReviewStore(layout).read('merged', a.review)).toBeDefined();
    expect((await findTask(layout, a.task.id)).stage).toBe('merged');
    expect(git(layout.root, 'rev-parse', 'main').trim()).toBe(a.head);
    expect(existsSync(path.join(layout.logs, 'merge'))).toBe(false);
  });
});
