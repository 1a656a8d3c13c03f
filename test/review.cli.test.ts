import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { approveReview } from '../src/merge-queue/approve.js';
import { rejectReview } from '../src/review/byHand.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { CLI, cli } from './helpers/cli.js';
import { deliverGreeting, editLikeAPerson } from './helpers/deliveredBranch.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

const execFileP = promisify(execFile);
const person = { name: 'alice', isAgent: false };

/** A project whose agent delivered `agent/<task>` to the local review queue. */
async function delivered(testCommand?: string) {
  const layout = await fleetProject(
    `review:\n  backend: local\n${testCommand ? `  test_command: ${JSON.stringify(testCommand)}\n` : ''}agents: []\n`,
  );
  const task = await deliverGreeting(layout);
  return { layout, task };
}

describe('tickfleet review', () => {
  it('lists pending reviews, and approving one merges it into the base', async () => {
    const { layout, task } = await delivered('test -f greeting.txt');
    const { stdout } = await execFileP(process.execPath, [CLI, '-C', layout.root, 'review']);
    expect(stdout).toMatch(
      new RegExp(`^REV-${task.id}\\s+pending\\s+agent/${task.id}\\s+→ main\\s+${task.id}: Add a greeting`),
    );
    const approved = await execFileP(process.execPath, [CLI, '-C', layout.root, 'review', 'approve', task.id]);
    expect(approved.stdout).toMatch(new RegExp(`✓ REV-${task.id} merged: main is now [0-9a-f]{12}`));
    expect(git(layout.root, 'log', '-1', '--format=%s', 'main')).toBe(`${task.id}: Add a greeting`);
    expect(git(layout.root, 'show', 'main:greeting.txt')).toBe('hello');
  });

  it('a merge whose tests fail leaves the base alone and becomes a rework task on the same branch', async () => {
    // Red only with the branch's change: the base alone passes, so the branch is the culprit.
    const { layout, task } = await delivered('test ! -f greeting.txt');
    const result = await approveReview(layout, person, task.id);
    expect(result.merge).toMatchObject({ merged: false, code: 'tests_failed' });
    expect(git(layout.root, 'log', '-1', '--format=%s', 'main')).toBe('tickfleet');
    expect(result.rework).toMatchObject({
      state: 'incoming',
      role: 'implement',
      wip_branch: `agent/${task.id}`,
      created_by: 'alice',
      priority: 'P1',
    });
    expect(result.rework!.body).toContain('the merge into main failed');
  });

  it('approve while the base checkout has uncommitted changes: the merge waits, says what to do, touches nothing of the person and blames no branch', async () => {
    const { layout, task } = await delivered('test -f greeting.txt');
    const id = `REV-${task.id}`;
    // The person is editing in the checkout that holds main: a tracked file changed, a file staged, an untracked one.
    const mine = editLikeAPerson(layout.root);
    const before = mine();
    const tasksBefore = (await listTasks(layout)).tasks.map((t) => t.id);

    const r = await cli(['-C', layout.root, 'review', 'approve', task.id]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `${id} is approved and waits: main is checked out in ${layout.root} with uncommitted changes (README.md, notes.txt); commit or stash your changes in ${layout.root}, then run \`tickfleet review approve ${id}\` again`,
    );
    expect(mine()).toEqual(before);
    expect((await listTasks(layout)).tasks.map((t) => t.id)).toEqual(tasksBefore); // no rework task
    expect(readdirSync(path.join(layout.reviews, 'approved'))).toEqual([`${id}.md`]);
    expect(existsSync(path.join(layout.reviews, 'rejected'))).toBe(false);

    // Once the person has committed, approving again merges it.
    git(layout.root, 'add', '-A');
    git(layout.root, 'commit', '-qm', 'my work');
    const again = await cli(['-C', layout.root, 'review', 'approve', id]);
    expect(again.stdout).toMatch(new RegExp(`✓ ${id} merged: main is now [0-9a-f]{12}`));
    expect(git(layout.root, 'show', 'main:greeting.txt')).toBe('hello');
    expect(git(layout.root, 'show', 'main:README.md')).toBe('my edit, not committed');
  });

  it('a rejection records the reason and creates a rework task continuing from the branch', async () => {
    const { layout, task } = await delivered();
    const { record, rework } = await rejectReview(layout, person, `REV-${task.id}`, 'use a constant, not a file');
    expect(record.state).toBe('rejected');
    const again = await findTask(layout, rework!.id);
    expect(again).toMatchObject({ title: `Rework ${task.id}: Add a greeting`, wip_branch: `agent/${task.id}` });
    expect(again.body).toContain('the review was rejected: use a constant, not a file');
    await expect(rejectReview(layout, person, task.id, ' ')).rejects.toThrow(/say why/);
  });
});
