import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { drainQueue } from '../src/merge-queue/drain.js';
import { mergeQueueStatus } from '../src/merge-queue/status.js';
import { listMessages } from '../src/messages/list.js';
import { createLocalReview } from '../src/review/local.js';
import { ReviewStore } from '../src/review/reviewStore.js';
import { fleetStatus } from '../src/status/collect.js';
import { formatStatus } from '../src/status/format.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { editLikeAPerson } from './helpers/deliveredBranch.js';
import { deliverBranch } from './helpers/gatekeeper.js';
import { approvedBranch, CULPRIT_TEST, queueProject } from './helpers/mergeQueue.js';
import { git } from './helpers/tmp.js';

const main = (layout: Layout) => git(layout.root, 'rev-parse', 'main').trim();
const onMain = (layout: Layout, file: string) =>
  git(layout.root, 'ls-tree', '--name-only', 'main', file).trim() === file;

describe('the merge queue holds rather than leave the base red or touch a person', () => {
  it('the base going red holds the queue with one message and one expedite fix task, and it resumes once the base passes', async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    // A person commits a breaking change straight to main.
    writeFileSync(path.join(layout.root, 'CULPRIT-base.txt'), 'oops\n');
    git(layout.root, 'add', 'CULPRIT-base.txt');
    git(layout.root, 'commit', '-qm', 'a change that breaks the tests');
    const red = main(layout);

    const first = await drainQueue(layout);
    expect(first.hold).toMatchObject({ kind: 'base_red', base: 'main', base_sha: red });
    expect(first.batches[0]!.record).toMatchObject({ outcome: 'held', landed: [], culprits: [] });
    expect(main(layout)).toBe(red);
    expect(await new ReviewStore(layout).read('approved', a.review)).toBeDefined();
    expect((await findTask(layout, a.task.id)).stage).toBe('approved');
    await drainQueue(layout);

    const tasks = (await listTasks(layout, { states: ['incoming'] })).tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ priority: 'P0', expedite: true, created_by: 'merge-queue' });
    expect(tasks[0]!.body).toContain('FAIL: CULPRIT-base.txt must not ship');
    const messages = await listMessages(layout);
    expect(messages.map((m) => m.title)).toEqual(['The merge queue is held: main fails its tests']);
    const status = await fleetStatus(layout);
    expect(status.merge_queue?.held?.kind).toBe('base_red');
    expect(formatStatus(status).join('\n')).toMatch(/merge queue {2}held: main at [0-9a-f]{12} fails `sh test.sh`/);
    expect(status.attention).toContainEqual(expect.objectContaining({ kind: 'merge_queue_held' }));

    // The person fixes main by hand: the queue tests it again, resumes and lands the branch.
    git(layout.root, 'rm', '-q', 'CULPRIT-base.txt');
    git(layout.root, 'commit', '-qm', 'fix the tests');
    const resumed = await drainQueue(layout);
    expect(resumed.hold).toBeUndefined();
    expect(resumed.batches[0]!.record).toMatchObject({ outcome: 'landed', landed: [a.review] });
    expect(git(layout.root, 'show', 'main:a.txt').trim()).toBe('a');
    expect((await mergeQueueStatus(layout)).hold).toBeUndefined();
    expect(await listMessages(layout)).toHaveLength(1);
  });

  it('while the base is red only its expedite fix task lands, and that releases the hold', async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    writeFileSync(path.join(layout.root, 'CULPRIT-base.txt'), 'oops\n');
    git(layout.root, 'add', 'CULPRIT-base.txt');
    git(layout.root, 'commit', '-qm', 'a change that breaks the tests');
    const held = await drainQueue(layout);
    const fixTask = await findTask(layout, held.hold!.fix_task!);

    // An agent delivers the fix task's branch, and it is approved after the waiting branch.
    const fix = await deliverBranch(layout, {
      title: 'remove the bad file',
      remove: ['CULPRIT-base.txt'],
      task: fixTask,
    });
    await createLocalReview({ layout }).approve(fix.review);
    const run = await drainQueue(layout);
    expect(run.batches.map((b) => b.record.landed)).toEqual([[fix.review], [a.review]]);
    expect(run.hold).toBeUndefined();
    expect(onMain(layout, 'CULPRIT-base.txt')).toBe(false);
    expect(onMain(layout, 'a.txt')).toBe(true);
    expect((await findTask(layout, fixTask.id)).stage).toBe('merged');
  });

  it("a dirty checkout of the base makes the queue wait: nothing of the person's is touched, nobody is blamed, one message", async () => {
    const layout = await queueProject(CULPRIT_TEST);
    const a = await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    const mine = editLikeAPerson(layout.root);
    const before = mine();

    const waiting = await drainQueue(layout);
    await drainQueue(layout);
    expect(waiting.hold).toMatchObject({ kind: 'dirty_base', checkout: layout.root });
    expect(waiting.hold!.reason).toBe(
      `main is checked out in ${layout.root} with uncommitted changes (README.md, notes.txt)`,
    );
    expect(mine()).toEqual(before);
    expect((await listTasks(layout, { states: ['incoming', 'claimed'] })).tasks).toEqual([]);
    expect(await new ReviewStore(layout).read('approved', a.review)).toBeDefined();
    expect((await listMessages(layout)).map((m) => m.title)).toEqual([
      'The merge queue waits for your checkout of main',
    ]);
    const status = await fleetStatus(layout);
    expect(status.attention).toContainEqual(
      expect.objectContaining({
        kind: 'merge_queue_held',
        fix: `commit or stash your changes in ${layout.root}; the queue goes on by itself`,
      }),
    );

    // Committed; the untracked file stays where it is and is no obstacle.
    git(layout.root, 'commit', '-qam', 'my work');
    const landed = await drainQueue(layout);
    expect(landed.batches[0]!.record).toMatchObject({ outcome: 'landed', landed: [a.review] });
    expect(git(layout.root, 'show', 'main:README.md').trim()).toBe('my edit, not committed');
    expect(readFileSync(path.join(layout.root, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(path.join(layout.root, 'scratch.txt'), 'utf8')).toBe('untracked\n');
  });
});
