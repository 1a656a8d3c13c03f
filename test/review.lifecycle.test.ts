import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { type Layout, spareWorktreePath } from '../src/core/paths.js';
import { prepareSpare } from '../src/git/spare.js';
import { approveReview } from '../src/merge-queue/approve.js';
import { rejectReview } from '../src/review/byHand.js';
import { createLocalReview } from '../src/review/local.js';
import { prepareWorkspace } from '../src/runner/workspace.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { taskLifecycle } from '../src/tasks/lifecycle.js';
import { findTask } from '../src/tasks/list.js';
import type { Task } from '../src/tasks/task.js';
import { cli } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';
import { git, tempDir } from './helpers/tmp.js';

const person = { name: 'alice', isAgent: false };

async function project(testCommand?: string, extra = ''): Promise<Layout> {
  const layout = await fleetProject(
    `review:\n  backend: local\n${testCommand ? `  test_command: ${JSON.stringify(testCommand)}\n` : ''}${extra}agents:\n  - name: impl-1\n    role: implementer\n`,
  );
  git(layout.root, 'add', '-A');
  git(layout.root, 'commit', '-qm', 'tickfleet');
  return layout;
}

/** A task whose run committed `file` on agent/<id>, submitted it for local review and completed in review, as a delivery does. */
async function delivered(layout: Layout, file: string, input: { blocked_by?: string[] } = {}): Promise<Task> {
  const task = await enqueueTask(layout, { title: `Add ${file}`, role: 'implement', created_by: 'test', ...input });
  const claimed = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 600 });
  if (!claimed.ok) throw new Error(claimed.reason);
  commitOn(layout.root, `agent/${task.id}`, file);
  await createLocalReview({ layout }).submit({
    taskId: task.id,
    branch: `agent/${task.id}`,
    base: 'main',
    title: `${task.id}: Add ${file}`,
    body: '',
  });
  return completeTask(layout, task.id, claimed.token, { result: { branch: `agent/${task.id}` }, stage: 'in_review' });
}

function commitOn(root: string, branch: string, file: string): string {
  const wt = path.join(tempDir('tickfleet-wt-'), 'wt');
  git(root, 'worktree', 'add', '-q', '-b', branch, wt, 'main');
  writeFileSync(path.join(wt, file), `${file}\n`);
  git(wt, 'add', '-A');
  git(wt, 'commit', '-qm', `add ${file}`);
  const head = git(wt, 'rev-parse', 'HEAD');
  git(root, 'worktree', 'remove', wt);
  return head;
}

const lifecycle = async (layout: Layout, id: string) => taskLifecycle(await findTask(layout, id));

describe('the local review moves a task through its lifecycle', () => {
  it('approve: approved, merging while the merge queue tests it, then merged', async () => {
    const layout = await project();
    const task = await delivered(layout, 'a.txt');
    expect(await lifecycle(layout, task.id)).toBe('in_review');
    // The test command runs inside the merge: it sees the task marked merging.
    const doneFile = path.join(layout.queue, 'done', `${task.id}.md`);
    writeFileSync(
      layout.agentsYaml,
      `review:\n  backend: local\n  test_command: ${JSON.stringify(`grep -q '^stage: merging' ${doneFile}`)}\nagents: []\n`,
    );
    git(layout.root, 'commit', '-qam', 'test the stage during the merge');
    const result = await approveReview(layout, person, task.id);
    expect(result.merge).toMatchObject({ merged: true });
    expect(result.lifecycle).toBe('merged');
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'done', stage: 'merged' });
  });

  it('approve without merging: approved; reject: changes requested, with the reason and a rework task', async () => {
    const layout = await project();
    const a = await delivered(layout, 'a.txt');
    expect((await approveReview(layout, person, a.id, { merge: false })).lifecycle).toBe('approved');
    const b = await delivered(layout, 'b.txt');
    const rejected = await rejectReview(layout, person, b.id, 'needs a test');
    expect(rejected.lifecycle).toBe('changes_requested');
    expect(rejected.rework).toMatchObject({ state: 'incoming', wip_branch: `agent/${b.id}` });
    expect((await findTask(layout, b.id)).body).toMatch(/changes_requested: needs a test/);
  });

  it('a merge that fails goes back to in review; a task a person removed is left alone', async () => {
    // Red only with the branch's change: the base alone passes, so the branch is the culprit.
    const layout = await project('test ! -f a.txt');
    const task = await delivered(layout, 'a.txt');
    const result = await approveReview(layout, person, task.id);
    expect(result.merge).toMatchObject({ merged: false, code: 'tests_failed' });
    expect(result.rework).toBeDefined();
    const back = await findTask(layout, task.id);
    expect(back.stage).toBe('in_review');
    expect(back.body).toMatch(/in_review: the merge failed: tests on agent\//);

    const gone = await delivered(layout, 'b.txt');
    rmSync(path.join(layout.queue, 'done', `${gone.id}.md`));
    writeFileSync(layout.agentsYaml, 'review:\n  backend: local\nagents: []\n');
    git(layout.root, 'commit', '-qam', 'no test command');
    const merged = await approveReview(layout, person, gone.id);
    expect(merged.merge).toMatchObject({ merged: true });
    expect(merged.lifecycle).toBeUndefined();
  });

  it('a rework that lands marks the task it reworked merged', async () => {
    const layout = await project();
    const original = await delivered(layout, 'a.txt');
    const { rework } = await rejectReview(layout, person, original.id, 'rename it');
    const claimed = await claimTask(layout, rework!.id, { holder: 'impl-1', leaseSeconds: 600 });
    if (!claimed.ok) throw new Error(claimed.reason);
    git(layout.root, 'branch', `agent/${rework!.id}`, `agent/${original.id}`);
    await createLocalReview({ layout }).submit({
      taskId: rework!.id,
      branch: `agent/${rework!.id}`,
      base: 'main',
      title: 'rework',
      body: '',
    });
    await completeTask(layout, rework!.id, claimed.token, { result: {}, stage: 'in_review' });
    await approveReview(layout, person, rework!.id);
    expect(await lifecycle(layout, rework!.id)).toBe('merged');
    expect(await lifecycle(layout, original.id)).toBe('merged');
  });
});

describe('a dependent task', () => {
  it('waits for its blocker to be merged, then starts from a base that contains it, even past a stale remote and an old spare', async () => {
    const layout = await project(undefined, 'scheduler:\n  spare_worktrees: true\n');
    // A remote the local review never pushes to: its main stays behind after the merge.
    const remote = path.join(tempDir('tickfleet-remote-'), 'origin.git');
    git(layout.root, 'clone', '-q', '--bare', layout.root, remote);
    git(layout.root, 'remote', 'add', 'origin', remote);
    git(layout.root, 'fetch', '-q', 'origin');

    const blocker = await delivered(layout, 'blocker.txt');
    const dependent = await enqueueTask(layout, {
      title: 'Use blocker.txt',
      role: 'implement',
      created_by: 'test',
      blocked_by: [blocker.id],
    });
    expect(await claimTask(layout, dependent.id, { holder: 'impl-1', leaseSeconds: 600 })).toEqual({
      ok: false,
      reason: `${dependent.id} waits for ${blocker.id} to be merged (in review)`,
    });

    // The agent's spare checkout was made before the merge, at the old base.
    const spare = spareWorktreePath(layout, 'impl-1');
    await prepareSpare(layout.root, spare, 'main');
    const merged = await approveReview(layout, person, blocker.id);
    expect(merged.merge, JSON.stringify(merged)).toMatchObject({ merged: true });
    const mergedHead = git(layout.root, 'rev-parse', 'main');
    expect(git(layout.root, 'rev-parse', 'refs/remotes/origin/main')).not.toBe(mergedHead);

    const claimed = await claimTask(layout, dependent.id, { holder: 'impl-1', leaseSeconds: 600 });
    if (!claimed.ok) throw new Error(claimed.reason);
    const { config } = await loadConfig(layout);
    const workspace = await prepareWorkspace(layout, config, config.agents[0]!, 'run-1', claimed.task);
    expect(workspace.worktree).toMatchObject({ from: 'base', fromSpare: true, head: mergedHead, baseSha: mergedHead });
    expect(workspace.mergesLocally).toBe(true);
    expect(git(workspace.cwd, 'show', 'HEAD:blocker.txt')).toBe('blocker.txt');
  });
});

describe('the CLI shows the lifecycle', () => {
  it('queue-status, show and --json', async () => {
    const layout = await project();
    const task = await delivered(layout, 'a.txt');
    await enqueueTask(layout, { title: 'later', role: 'implement', created_by: 'test' });

    const status = await cli(['-C', layout.root, 'queue-status']);
    expect(status.stdout).toMatch(/^lifecycle: queued 1 · in review 1$/m);
    const json = JSON.parse((await cli(['-C', layout.root, 'queue-status', '--json'])).stdout);
    expect(json.byLifecycle).toMatchObject({ queued: 1, in_review: 1, merged: 0 });

    const shown = await cli(['-C', layout.root, 'show', task.id]);
    expect(shown.stdout.split('\n')[0]).toMatch(new RegExp(`^# done/${task.id}\\.md · in review since \\d{4}-`));
    expect(JSON.parse((await cli(['-C', layout.root, 'show', task.id, '--json'])).stdout)).toMatchObject({
      id: task.id,
      stage: 'in_review',
      lifecycle: 'in_review',
    });

    const fleet = await cli(['-C', layout.root, 'status']);
    expect(fleet.stdout).toMatch(/lifecycle\s+queued 1 · in review 1/);
    expect(JSON.parse((await cli(['-C', layout.root, 'status', '--json'])).stdout).queue.byLifecycle).toMatchObject({
      in_review: 1,
    });

    const approved = JSON.parse((await cli(['-C', layout.root, 'review', 'approve', task.id, '--json'])).stdout);
    expect(approved.lifecycle).toBe('merged');
    expect(JSON.parse((await cli(['-C', layout.root, 'show', task.id, '--json'])).stdout).lifecycle).toBe('merged');
  });
});
