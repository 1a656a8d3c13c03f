import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { readBatchDay } from '../src/ledger/batch.js';
import { drainQueue } from '../src/merge-queue/drain.js';
import { mergeQueueStatus } from '../src/merge-queue/status.js';
import { ReviewStore } from '../src/review/reviewStore.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { cli } from './helpers/cli.js';
import { approvedBranch, CULPRIT_TEST, FLAKY_TEST, queueProject } from './helpers/mergeQueue.js';
import { git } from './helpers/tmp.js';

const onMain = (layout: Layout, file: string) =>
  git(layout.root, 'ls-tree', '--name-only', 'main', file).trim() === file;
const testRuns = (layout: Layout) =>
  readdirSync(path.join(layout.logs, 'merge')).filter((f) => f.endsWith('.log')).length;

describe('the merge queue lands approved branches in tested batches', () => {
  it('a batch of green branches lands in one test run, oldest approval first, and the ledger records it', async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const b = await approvedBranch(layout, 'add b', { 'b.txt': 'b\n' });
    const c = await approvedBranch(layout, 'add c', { 'c.txt': 'c\n' });
    const before = git(layout.root, 'rev-parse', 'main').trim();

    const run = await drainQueue(layout);
    expect(run.batches).toHaveLength(1);
    const record = run.batches[0]!.record;
    expect(record).toMatchObject({
      outcome: 'landed',
      branches: [a.review, b.review, c.review],
      landed: [a.review, b.review, c.review],
      test_runs: 1,
      from: before,
    });
    expect(testRuns(layout)).toBe(1);
    for (const f of ['a.txt', 'b.txt', 'c.txt']) expect(onMain(layout, f)).toBe(true);
    expect(git(layout.root, 'log', '--format=%s', `${before}..main`).trim().split('\n')).toEqual([
      `${c.task.id}: add c`,
      `${b.task.id}: add b`,
      `${a.task.id}: add a`,
    ]);
    for (const d of [a, b, c]) {
      expect((await findTask(layout, d.task.id)).stage).toBe('merged');
      expect(await new ReviewStore(layout).read('merged', d.review)).toBeDefined();
    }
    expect(await readBatchDay(layout, record.started_at.slice(0, 10))).toEqual([
      expect.objectContaining({ id: record.id, outcome: 'landed', test_runs: 1 }),
    ]);
    // The person's checkout of main was fast-forwarded, clean.
    expect(git(layout.root, 'status', '--porcelain', '--untracked-files=no').trim()).toBe('');
    const status = await mergeQueueStatus(layout);
    expect(status.last[0]).toMatchObject({ id: record.id, outcome: 'landed' });
    // The command prints the same library answer, as JSON or as lines.
    const json = await cli(['-C', layout.root, 'merge-queue', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(status);
    const text = await cli(['-C', layout.root, 'merge-queue']);
    expect(text.stdout).toContain('waiting: nothing approved');
    expect(text.stdout).toMatch(new RegExp(`${record.id} {2}landed {2}3/3 landed {2}1 test run\\(s\\)`));
  });

  it('a batch with one culprit lands the others and sends the culprit back with the output and its batch', async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const b = await approvedBranch(layout, 'add b', { 'b.txt': 'b\n' });
    const bad = await approvedBranch(layout, 'add a debug file', { 'CULPRIT-debug.txt': 'x\n' });
    const d = await approvedBranch(layout, 'add d', { 'd.txt': 'd\n' });

    const { batches } = await drainQueue(layout);
    expect(batches).toHaveLength(1);
    const record = batches[0]!.record;
    expect(record).toMatchObject({
      outcome: 'partly_landed',
      landed: [a.review, b.review, d.review],
      culprits: [bad.review],
    });
    // Batch, retry, the base alone, two bisection steps, the branch after the culprit: 6 at most.
    expect(record.test_runs).toBeLessThanOrEqual(6);
    expect(onMain(layout, 'd.txt')).toBe(true);
    expect(onMain(layout, 'CULPRIT-debug.txt')).toBe(false);

    const back = await new ReviewStore(layout).read('pending', bad.review);
    expect(back?.meta.merge_error).toMatch(/tests on agent\/TASK-\w+ stacked onto main in batch MQ-/);
    expect((await findTask(layout, bad.task.id)).stage).toBe('in_review');
    const fixes = (await listTasks(layout, { states: ['incoming'] })).tasks;
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({ wip_branch: bad.branch, priority: 'P1', created_by: 'merge-queue' });
    expect(fixes[0]!.body).toContain('FAIL: CULPRIT-debug.txt must not ship');
    expect(fixes[0]!.body).toContain(`merge-queue batch ${record.id}`);
    for (const other of [a, b, d]) expect(fixes[0]!.body).toContain(other.review);
    expect(record.tasks).toEqual([fixes[0]!.id]);
  });

  it('a test that fails once then passes lands everything after one retry, blaming no one', async () => {
    const layout = await queueProject(FLAKY_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const b = await approvedBranch(layout, 'add b', { 'b.txt': 'b\n' });
    const { batches } = await drainQueue(layout);
    expect(batches[0]!.record).toMatchObject({ outcome: 'landed', landed: [a.review, b.review], test_runs: 2 });
    expect((await listTasks(layout, { states: ['incoming'] })).tasks).toEqual([]);
    const logs = readdirSync(path.join(layout.logs, 'merge')).sort();
    expect(logs.map((f) => f.replace(/^.*-/, ''))).toEqual(['batch.log', 'retry.log']);
    expect(readFileSync(path.join(layout.logs, 'merge', logs[0]!), 'utf8')).toContain('FLAKY');
  });

  it('a branch that no longer stacks is taken out as a conflict task on its own branch; the rest land', async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const first = await approvedBranch(layout, 'greet in English', { 'greeting.txt': 'hello\n' });
    const clash = await approvedBranch(layout, 'greet in French', { 'greeting.txt': 'bonjour\n' });
    const other = await approvedBranch(layout, 'add e', { 'e.txt': 'e\n' });
    const { batches } = await drainQueue(layout);
    expect(batches[0]!.record).toMatchObject({
      outcome: 'partly_landed',
      landed: [first.review, other.review],
      conflicts: [clash.review],
      test_runs: 1,
    });
    expect(git(layout.root, 'show', 'main:greeting.txt').trim()).toBe('hello');
    const back = await new ReviewStore(layout).read('pending', clash.review);
    expect(back?.meta.conflicts).toEqual(['greeting.txt']);
    const [fix] = (await listTasks(layout, { states: ['incoming'] })).tasks;
    expect(fix).toMatchObject({ wip_branch: clash.branch });
    expect(fix!.title).toMatch(/^Fix the conflict of TASK-/);
    expect(fix!.body).toContain('merge main into it and resolve the conflicts');
    expect(fix!.body).toContain('- `greeting.txt`');
    // The branch itself is as it was: nothing of its work is lost.
    expect(git(layout.root, 'rev-parse', clash.branch).trim()).toBe(clash.head);
  });

  it('the base moving during a batch blames no one: the batch is tested again on the new base and lands', async () => {
    // Its first run stands for a person committing to main while the batch is tested.
    const layout = await queueProject(`#!/bin/sh
dir="$(git rev-parse --git-common-dir)"
if [ ! -f "$dir/moved" ]; then
  touch "$dir/moved"
  git -c user.name=person -c user.email=person@example.com -C "$dir/.." commit -q --allow-empty -m "a commit meanwhile"
fi
echo "all tests pass"
`);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const { batches } = await drainQueue(layout);
    expect(batches.map((b) => b.record.outcome)).toEqual(['interrupted', 'landed']);
    expect(batches[0]!.record.reason).toMatch(/main moved to [0-9a-f]{12} during the merge/);
    expect(batches[1]!.record.landed).toEqual([a.review]);
    expect(git(layout.root, 'log', '-2', '--format=%s', 'main').trim().split('\n')).toEqual([
      `${a.task.id}: add a`,
      'a commit meanwhile',
    ]);
    expect((await listTasks(layout, { states: ['incoming'] })).tasks).toEqual([]);
  });
});
