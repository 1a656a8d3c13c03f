import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { runCommandCheck } from '../src/gatekeeper/commandCheck.js';
import { CHECKS_MARKER } from '../src/review/pulls/publish.js';
import { runTick } from '../src/scheduler/tick.js';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import { fleetStatus } from '../src/status/collect.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { setTaskStage } from '../src/tasks/setStage.js';
import type { Task } from '../src/tasks/task.js';
import { fakeGh } from './helpers/fakeGh.js';
import { allLogs, claudeBlock, fleetProject, runEnded, waitFor } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git, tempDir } from './helpers/tmp.js';

// Fails exactly while the branch holds a file named BAD, so one commit fails and its fix passes.
const LINT = 'test ! -f BAD || { echo "BAD: 1: leftover debug file"; exit 1; }';
const GATEKEEPER = `gatekeeper:\n  enabled: true\n  auto_approve: true\n  required_checks: [lint]\n  commands:\n    lint: ${JSON.stringify(LINT)}\n`;

type Gh = ReturnType<typeof fakeGh>;

/** A delivered task: its branch with one real commit, and the PR the fake gh holds open for it. */
async function deliveredPr(layout: Layout, gh: Gh, files: Record<string, string>) {
  const task = await enqueueTask(layout, { title: 'Add a feature', role: 'implement', created_by: 'test' });
  const branch = `agent/${task.id}`;
  git(layout.root, 'checkout', '-q', '-b', branch, 'main');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(layout.root, file), text);
  git(layout.root, 'add', '--', ...Object.keys(files));
  git(layout.root, 'commit', '-q', '-m', `${task.id}: add a feature`);
  const head = git(layout.root, 'rev-parse', 'HEAD');
  git(layout.root, 'checkout', '-q', 'main');
  const pr = gh.openPr(branch, head);
  const claim = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 600 });
  if (!claim.ok) throw new Error(claim.reason);
  await completeTask(layout, task.id, claim.token, {
    result: { branch, head, pr: `https://github.com/acme/widgets/pull/${pr}` },
    stage: 'in_review',
  });
  return { task, branch, head, pr };
}

const gatekeeperFixes = async (layout: Layout): Promise<Task[]> =>
  (await listTasks(layout, { states: ['incoming'] })).tasks.filter((t) => t.created_by === 'gatekeeper');

describe('gatekeepers on the github back end', () => {
  it('checks each open PR at its head: a failure status, a comment and one fix task; the fixed head passes, the comment is edited and the PR approved', async () => {
    const layout = await fleetProject(`review:\n  backend: github\n${GATEKEEPER}agents: []\n`, {
      'README.md': '# app\n',
    });
    const gh = fakeGh(layout.root);
    const clock = new FakeClock(new Date());
    const tick = async () => {
      const report = await runTick(layout, { clock, gh: gh.gh, spawner: async () => ({ pid: 1 }) });
      if (!report.ran) throw new Error(report.reason);
      clock.advance(60_000);
    };
    const first = await deliveredPr(layout, gh, { 'feature.txt': 'on\n', BAD: 'debug\n' });
    const statusesAt = (head: string) => gh.state().statuses[head] ?? [];

    await tick();
    await waitFor(`the lint verdict at ${first.head.slice(0, 7)}\n${allLogs(layout)}`, async () => {
      await tick();
      return statusesAt(first.head).find((s) => s.context === 'tickfleet/lint');
    });
    await tick();
    expect(statusesAt(first.head)[0]).toMatchObject({ context: 'tickfleet/lint', state: 'failure' });
    const comments = gh.state().comments.filter((c) => c.pr === first.pr && c.body.includes(CHECKS_MARKER));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('❌ fail');
    // One fix task however many ticks see the failure, on the PR's own branch; one status, not one per tick.
    const fixes = await gatekeeperFixes(layout);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({ role: 'implement', branch: first.branch });
    expect(fixes[0]!.wip_branch).toBeUndefined();
    expect(fixes[0]!.body).toContain('BAD: 1: leftover debug file');
    expect(statusesAt(first.head)).toHaveLength(1);
    expect((await findTask(layout, first.task.id)).stage).toBe('changes_requested');
    // tickfleet's own failing status is not CI: the PR step makes no second fix task of it.
    expect((await listTasks(layout, { states: ['incoming'] })).tasks).toHaveLength(1);

    // The fix lands on the PR's branch: a new head, checked again.
    git(layout.root, 'checkout', '-q', first.branch);
    git(layout.root, 'rm', '-q', 'BAD');
    git(layout.root, 'commit', '-q', '-m', `${fixes[0]!.id}: remove the debug file`);
    const fixed = git(layout.root, 'rev-parse', 'HEAD');
    git(layout.root, 'checkout', '-q', 'main');
    gh.setPr(first.pr, { headRefOid: fixed });

    await waitFor(`the PR approved at ${fixed.slice(0, 7)}\n${allLogs(layout)}`, async () => {
      await tick();
      return gh.state().prs[0]!.reviewDecision === 'APPROVED' || undefined;
    });
    expect(statusesAt(fixed)[0]).toMatchObject({ context: 'tickfleet/lint', state: 'success' });
    const after = gh.state().comments.filter((c) => c.pr === first.pr && c.body.includes(CHECKS_MARKER));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: comments[0]!.id, edits: 1 });
    expect(after[0]!.body).toContain('✅ pass');
    expect(gh.state().prs[0]!.reviews).toEqual([
      expect.objectContaining({ state: 'APPROVED', author: 'tickfleet-bot', commit: fixed }),
    ]);
    expect((await findTask(layout, first.task.id)).stage).toBe('approved');
    expect((await fleetStatus(layout, { clock })).attention).toContainEqual(
      expect.objectContaining({ kind: 'review_ready', fix: `\`gh pr merge ${first.pr}\`` }),
    );

    // Nothing new: no gh call past the poll, no second approval.
    const calls = gh.calls().length;
    await tick();
    await tick();
    expect(
      gh
        .calls()
        .slice(calls)
        .map((c) => c.slice(0, 2).join(' ')),
    ).toEqual(['pr list', 'pr list']);
    expect(await gatekeeperFixes(layout)).toHaveLength(1);
  }, 90_000);
});

describe('a fix for a PR is pushed onto the PR branch', () => {
  const saved = { PATH: process.env.PATH, FAKE_GH_STATE: process.env.FAKE_GH_STATE };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.FAKE_GH_STATE === undefined) delete process.env.FAKE_GH_STATE;
    else process.env.FAKE_GH_STATE = saved.FAKE_GH_STATE;
  });

  it('starts from the PR branch, pushes its commit onto it (no second PR), and ends in review', async () => {
    const api = await scriptedApi(implementerScenario());
    const layout = await fleetProject(
      `${claudeBlock(api)}\nreview:\n  backend: github\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`,
      { 'README.md': '# app\n' },
    );
    const origin = tempDir('tickfleet-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(layout.root, 'remote', 'add', 'origin', origin);
    git(layout.root, 'push', '-q', 'origin', 'main');
    const gh = fakeGh(layout.root);
    // The runner's delivery finds gh on PATH: the fake one, which fails loudly on `pr create`.
    process.env.PATH = gh.env.PATH;
    process.env.FAKE_GH_STATE = gh.env.FAKE_GH_STATE;

    const first = await deliveredPr(layout, gh, { 'feature.txt': 'on\n' });
    git(layout.root, 'push', '-q', 'origin', first.branch);
    await setTaskStage(layout, first.task.id, 'changes_requested');
    const fix = await enqueueTask(layout, {
      title: 'Fix lint on the feature',
      role: 'implement',
      created_by: 'gatekeeper',
      branch: first.branch,
    });

    const report = await runTick(layout, { gh: gh.gh });
    expect(report.ran && report.started).toHaveLength(1);
    await runEnded(layout, 'impl-1');

    const done = await findTask(layout, fix.id);
    expect(done.state, allLogs(layout)).toBe('done');
    expect(done).toMatchObject({ stage: 'in_review', result: { branch: first.branch } });
    const pushed = git(origin, 'rev-parse', `refs/heads/${first.branch}`);
    expect(pushed).toBe(done.result!.head);
    // The PR's head moved forward: its old head is the parent, and the fix's commit is on top.
    expect(git(origin, 'rev-parse', `${pushed}^`)).toBe(first.head);
    expect(git(origin, 'log', '-1', '--format=%s', pushed)).toContain(fix.id);
    expect(git(origin, 'for-each-ref', '--format=%(refname)', 'refs/heads/')).not.toContain(`agent/${fix.id}`);
    expect(gh.calls().filter((c) => c[0] === 'pr' && c[1] === 'create')).toEqual([]);
    // The PR's own task is in review again: its branch has a new head.
    expect((await findTask(layout, first.task.id)).stage).toBe('in_review');

    // The PR merges with the fix on it: both tasks are merged.
    gh.setPr(first.pr, { state: 'MERGED', headRefOid: pushed, mergedAt: new Date().toISOString() });
    await runTick(layout, { gh: gh.gh, spawner: async () => ({ pid: 1 }) });
    expect((await findTask(layout, first.task.id)).stage).toBe('merged');
    expect((await findTask(layout, fix.id)).stage).toBe('merged');
  }, 90_000);
});

describe('a command check of a PR pushed from elsewhere', () => {
  it('fetches the head from the remote when this repository lacks it', async () => {
    const layout = await fleetProject(`review:\n  backend: github\n${GATEKEEPER}agents: []\n`, {
      'README.md': '# app\n',
    });
    const origin = tempDir('tickfleet-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(layout.root, 'remote', 'add', 'origin', origin);
    git(layout.root, 'push', '-q', 'origin', 'main');
    // Someone else's clone pushes the PR's branch: its head never reached this repository.
    const elsewhere = path.join(tempDir('tickfleet-elsewhere-'), 'clone');
    git(path.dirname(elsewhere), 'clone', '-q', origin, elsewhere);
    git(elsewhere, 'checkout', '-q', '-b', 'agent/TASK-elsewhere');
    writeFileSync(path.join(elsewhere, 'feature.txt'), 'on\n');
    git(elsewhere, 'add', 'feature.txt');
    git(elsewhere, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '-m', 'feature');
    git(elsewhere, 'push', '-q', 'origin', 'agent/TASK-elsewhere');
    const head = git(elsewhere, 'rev-parse', 'HEAD');
    const spec = {
      subject: 'agent-TASK-elsewhere',
      branch: 'agent/TASK-elsewhere',
      head,
      check: 'lint',
      required: true,
      command: 'test -f feature.txt',
      timeoutMs: 60_000,
    };

    expect((await runCommandCheck(layout, { ...spec, check: 'no-remote' })).verdict).toBe('error');
    expect(await runCommandCheck(layout, { ...spec, remote: 'origin' })).toMatchObject({ verdict: 'pass', head });
  }, 60_000);
});
