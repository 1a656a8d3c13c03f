import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { layoutFor } from '../src/core/paths.js';
import { drainQueue } from '../src/merge-queue/drain.js';
import { createLocalReview } from '../src/review/local.js';
import { git, tempRepo } from './helpers/tmp.js';

function setup() {
  const root = tempRepo({ 'README.md': '# r\n', 'shared.txt': 'line\n', '.gitignore': '.orchestrator/\n' });
  const layout = layoutFor(root);
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  mkdirSync(layout.dir, { recursive: true });
  writeFileSync(layout.agentsYaml, 'review:\n  backend: local\nagents: []\n');
  return { root, layout, clock, review: createLocalReview({ layout, clock }) };
}

/** Add a commit to `branch` (created from main if new) without touching the main work tree. */
function commitOnBranch(root: string, branch: string, file: string, content: string): string {
  const wt = path.join(root, '.orchestrator', 'scratch', branch.replace(/\//g, '-'));
  const from = git(root, 'branch', '--list', branch) ? branch : 'main';
  git(root, 'worktree', 'add', '-q', '--detach', wt, from);
  writeFileSync(path.join(wt, file), content);
  git(wt, 'add', file);
  git(wt, 'commit', '-q', '-m', `edit ${file}`);
  const head = git(wt, 'rev-parse', 'HEAD');
  git(root, 'worktree', 'remove', wt);
  git(root, 'update-ref', `refs/heads/${branch}`, head);
  return head;
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('local review back end', () => {
  it('submit writes a pending record with front matter, counted as open', async () => {
    const { root, layout, review } = setup();
    const head = commitOnBranch(root, 'agent/TASK-a1', 'f.txt', 'f\n');
    const sub = await review.submit({
      taskId: 'TASK-a1',
      branch: 'agent/TASK-a1',
      base: 'main',
      title: 'Add f',
      body: 'Adds **f**.',
    });
    expect(sub).toEqual({ id: 'REV-TASK-a1', file: path.join(layout.reviews, 'pending', 'REV-TASK-a1.md') });
    expect(readFileSync(sub.file!, 'utf8')).toBe(
      `---\nid: REV-TASK-a1\ntask: TASK-a1\nbranch: agent/TASK-a1\nbase: main\nhead: ${head}\ntitle: Add f\ncreated: 2026-03-01T10:00:00Z\n---\n\n# Add f\n\nAdds **f**.\n`,
    );
    expect(await review.openCount()).toBe(1);
    expect((await review.list()).map((r) => [r.meta.id, r.state])).toEqual([['REV-TASK-a1', 'pending']]);
    expect(files(layout.tmp)).toEqual([]);
  });

  it('a resubmission replaces the pending record with the new head', async () => {
    const { root, clock, review } = setup();
    commitOnBranch(root, 'agent/TASK-b2', 'f.txt', 'one\n');
    await review.submit({ taskId: 'TASK-b2', branch: 'agent/TASK-b2', base: 'main', title: 'B', body: 'first' });
    const second = commitOnBranch(root, 'agent/TASK-b2', 'f.txt', 'two\n');
    clock.advance(60_000);
    await review.submit({ taskId: 'TASK-b2', branch: 'agent/TASK-b2', base: 'main', title: 'B', body: 'second' });
    const record = await review.get('TASK-b2');
    expect(record?.meta).toMatchObject({
      head: second,
      created: '2026-03-01T10:00:00Z',
      updated: '2026-03-01T10:01:00Z',
    });
    expect(record?.body).toContain('second');
    expect(await review.openCount()).toBe(1);
  });

  it('refuses a branch that does not exist', async () => {
    const { review } = setup();
    await expect(
      review.submit({ taskId: 'TASK-x', branch: 'agent/TASK-x', base: 'main', title: 'x', body: '' }),
    ).rejects.toThrow(/cannot submit TASK-x for review: branch agent\/TASK-x does not exist/);
  });

  it('reject moves the record to rejected/ with the reason', async () => {
    const { root, layout, review } = setup();
    const head = commitOnBranch(root, 'agent/TASK-c3', 'f.txt', 'f\n');
    await review.submit({ taskId: 'TASK-c3', branch: 'agent/TASK-c3', base: 'main', title: 'C', body: 'c' });
    const rejected = await review.reject('REV-TASK-c3', 'needs tests');
    expect(rejected).toMatchObject({
      state: 'rejected',
      meta: { reason: 'needs tests', rejected: '2026-03-01T10:00:00Z' },
    });
    expect(files(path.join(layout.reviews, 'pending'))).toEqual([]);
    expect(files(path.join(layout.reviews, 'rejected'))).toEqual(['REV-TASK-c3.md']);
    expect(await review.openCount()).toBe(0);
    expect(git(root, 'rev-parse', 'agent/TASK-c3')).toBe(head);
    await expect(review.reject('TASK-c3', 'again')).rejects.toThrow(/no pending review REV-TASK-c3/);

    // A second round for the same task is archived beside the first, never over it.
    await review.submit({
      taskId: 'TASK-c3',
      branch: 'agent/TASK-c3',
      base: 'main',
      title: 'C',
      body: 'c, with tests',
    });
    await review.reject('TASK-c3', 'still no tests');
    expect(files(path.join(layout.reviews, 'rejected'))).toEqual(['REV-TASK-c3.2.md', 'REV-TASK-c3.md']);
  });

  it('approve puts it in the merge queue, which merges it and archives the record as merged', async () => {
    const { root, layout, review } = setup();
    commitOnBranch(root, 'agent/TASK-d4', 'feature.txt', 'feature\n');
    await review.submit({ taskId: 'TASK-d4', branch: 'agent/TASK-d4', base: 'main', title: 'D', body: 'd' });
    const { record: approved } = await review.approve('TASK-d4');
    expect(approved).toMatchObject({ state: 'approved', meta: { approved: '2026-03-01T10:00:00Z' } });
    expect(await review.openCount()).toBe(1);
    const { batches } = await drainQueue(layout);
    const head = git(root, 'rev-parse', 'main');
    expect(batches[0]!.record).toMatchObject({ landed: ['REV-TASK-d4'], to: head });
    expect((await review.get('TASK-d4'))?.meta).toMatchObject({ merged_head: head });
    expect(readFileSync(path.join(root, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(files(path.join(layout.reviews, 'merged'))).toEqual(['REV-TASK-d4.md']);
    expect(await review.openCount()).toBe(0);
  });

  it('a branch that no longer stacks goes back to pending with the reason; the branch is untouched', async () => {
    const { root, layout, review } = setup();
    const head = commitOnBranch(root, 'agent/TASK-e5', 'shared.txt', 'agent\n');
    await review.submit({ taskId: 'TASK-e5', branch: 'agent/TASK-e5', base: 'main', title: 'E', body: 'e' });
    writeFileSync(path.join(root, 'shared.txt'), 'human\n');
    git(root, 'commit', '-q', '-am', 'human edit');

    await review.approve('TASK-e5');
    await drainQueue(layout, { rework: false });
    const record = await review.get('TASK-e5');
    expect(record?.state).toBe('pending');
    expect(record?.meta).toMatchObject({
      conflicts: ['shared.txt'],
      merge_error: expect.stringMatching(/does not stack onto main/),
    });
    expect(record?.meta.approved).toBeUndefined();
    expect(git(root, 'rev-parse', 'agent/TASK-e5')).toBe(head);
    expect(files(path.join(layout.reviews, 'approved'))).toEqual([]);
    expect(await review.openCount()).toBe(1);
  });

  it('only the reviewed commit merges: a branch moved since its approval goes back to pending', async () => {
    const { root, layout, review } = setup();
    commitOnBranch(root, 'agent/TASK-f6', 'f.txt', 'reviewed\n');
    await review.submit({ taskId: 'TASK-f6', branch: 'agent/TASK-f6', base: 'main', title: 'F', body: 'f' });
    expect((await review.approve('TASK-f6')).record.state).toBe('approved');
    commitOnBranch(root, 'agent/TASK-f6', 'f.txt', 'not reviewed\n');
    const { batches } = await drainQueue(layout);
    expect(batches[0]!.outcomes.get('REV-TASK-f6')).toMatchObject({ landed: false, code: 'branch_moved' });
    expect((await review.get('TASK-f6'))?.state).toBe('pending');
    expect(git(root, 'ls-tree', '--name-only', 'main', 'f.txt')).toBe('');
  });

  it('rejects ids that could escape the folder', async () => {
    const { review } = setup();
    await expect(review.approve('../../etc/passwd')).rejects.toThrow(/not a valid task or review id/);
  });
});
