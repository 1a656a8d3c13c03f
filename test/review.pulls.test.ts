import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { listMessages } from '../src/messages/list.js';
import { pollFile } from '../src/review/pulls/poll.js';
import { runTick } from '../src/scheduler/tick.js';
import { fleetStatus } from '../src/status/collect.js';
import { formatStatus } from '../src/status/format.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import type { Task } from '../src/tasks/task.js';
import { fakeGh } from './helpers/fakeGh.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

const config = (agent = '    paused: true\n', limits = '') =>
  `review:\n  backend: github\n${limits}agents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 3600\n${agent}`;

/** A task delivered on its own branch (a real commit) with a PR the fake gh holds open. */
async function delivered(
  layout: Layout,
  gh: ReturnType<typeof fakeGh>,
  maxAttempts = 3,
): Promise<{ task: Task; pr: number; head: string }> {
  const task = await enqueueTask(layout, {
    title: 'Add a greeting',
    role: 'implement',
    created_by: 'test',
    max_attempts: maxAttempts,
    context: 'Say hello.',
  });
  return deliver(layout, gh, task);
}

async function deliver(layout: Layout, gh: ReturnType<typeof fakeGh>, task: Task) {
  const branch = `agent/${task.id}`;
  git(layout.root, 'checkout', '-q', '-B', branch, 'main');
  git(layout.root, 'commit', '-q', '--allow-empty', '-m', `${task.id}: work (${task.attempts})`);
  const head = git(layout.root, 'rev-parse', 'HEAD');
  git(layout.root, 'checkout', '-q', 'main');
  const pr = gh.openPr(branch, head);
  const claim = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 600 });
  if (!claim.ok) throw new Error(claim.reason);
  await completeTask(layout, task.id, claim.token, {
    result: { branch, head, pr: `https://github.com/acme/widgets/pull/${pr}` },
  });
  return { task, pr, head };
}

async function tick(layout: Layout, gh: ReturnType<typeof fakeGh>, options: { failing?: boolean } = {}) {
  const report = await runTick(layout, {
    gh: options.failing ? gh.failing : gh.gh,
    spawner: async () => ({ pid: process.pid }),
  });
  if (!report.ran) throw new Error(report.reason);
  return report;
}

const fixTasks = async (layout: Layout) =>
  (await listTasks(layout, { states: ['incoming'] })).tasks.filter((t) => t.created_by === 'tickfleet');

describe('the github back end follows each PR to its end', () => {
  it('a merged PR moves its task to stage merged, once', async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const { task, pr } = await delivered(layout, gh);
    await tick(layout, gh);
    expect((await findTask(layout, task.id)).stage).toBeUndefined();

    gh.setPr(pr, { state: 'MERGED', mergedAt: '2026-03-10T12:00:00Z' });
    const report = await tick(layout, gh);
    expect(report.lines.join('\n')).toMatch(new RegExp(`PR #${pr} \\(${task.id}\\): merged`));
    const merged = await findTask(layout, task.id);
    expect(merged).toMatchObject({ state: 'done', stage: 'merged' });

    const before = gh.calls().length;
    await tick(layout, gh);
    expect(gh.calls().slice(before)).toEqual([
      ['pr', 'list', '--state', 'all', '--json', expect.any(String), '--limit', '300'],
    ]);
    expect((await findTask(layout, task.id)).stage_at).toBe(merged.stage_at);
  });

  it('a PR merged before its runner finished the task is acted on once the task is done', async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const task = await enqueueTask(layout, { title: 'Quick fix', role: 'implement', created_by: 'test' });
    const claim = await claimTask(layout, task.id, { holder: 'impl-1', leaseSeconds: 600 });
    if (!claim.ok) throw new Error(claim.reason);
    const pr = gh.openPr(`agent/${task.id}`, 'e'.repeat(40), { state: 'MERGED', mergedAt: '2026-03-10T12:00:00Z' });
    await tick(layout, gh);
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'claimed', stage: undefined });
    await completeTask(layout, task.id, claim.token, {
      result: { branch: `agent/${task.id}`, pr: `https://github.com/acme/widgets/pull/${pr}` },
    });
    await tick(layout, gh);
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'done', stage: 'merged' });
  });

  it('a PR closed unmerged sends its task back for rework, then fails it with the reason once its attempts are used up', async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const first = await delivered(layout, gh, 2);
    gh.setPr(first.pr, { state: 'CLOSED', closedAt: '2026-03-10T12:00:00Z' });
    await tick(layout, gh);
    await tick(layout, gh);

    const rework = await findTask(layout, first.task.id);
    expect(rework).toMatchObject({
      state: 'incoming',
      attempts: 1,
      error: `PR #${first.pr} closed without merging`,
      wip_branch: `agent/${first.task.id}`,
    });
    expect(rework.stage).toBeUndefined();
    let messages = await listMessages(layout);
    expect(messages.map((m) => m.title)).toEqual([`PR #${first.pr} closed without merging`]);
    expect(messages[0]!.body).toContain('goes back for rework');

    // Delivered again on the same branch: a new PR, closed again.
    const second = await deliver(layout, gh, rework);
    gh.setPr(second.pr, { state: 'CLOSED', closedAt: '2026-03-10T13:00:00Z' });
    await tick(layout, gh);
    await tick(layout, gh);
    const failed = await findTask(layout, first.task.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 2, error: `PR #${second.pr} closed without merging` });
    messages = await listMessages(layout);
    expect(messages.map((m) => m.title).sort()).toEqual([
      `PR #${first.pr} closed without merging`,
      `PR #${second.pr} closed without merging`,
    ]);
  });

  it('"changes requested" becomes one fix task on the PR branch carrying the review comments', async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const { task, pr, head } = await delivered(layout, gh);
    gh.setPr(pr, {
      reviewDecision: 'CHANGES_REQUESTED',
      reviews: [
        {
          author: 'alice',
          state: 'CHANGES_REQUESTED',
          body: 'Please greet in French too.\nAnd add a test.',
          submittedAt: '2026-03-10T12:00:00Z',
        },
      ],
    });
    await tick(layout, gh);
    await tick(layout, gh);

    const fixes = await fixTasks(layout);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      role: 'implement',
      branch: `agent/${task.id}`,
      title: `Address review of PR #${pr} (${task.id})`,
    });
    expect(fixes[0]!.body).toContain('**alice** (changes requested)');
    expect(fixes[0]!.body).toContain('> Please greet in French too.\n> And add a test.');
    expect(fixes[0]!.body).toContain(head.slice(0, 12));
    expect(await findTask(layout, task.id)).toMatchObject({ stage: 'changes_requested' });

    // The fix is pushed: GitHub still says changes requested until alice looks again; that old review is not a second fix.
    gh.setPr(pr, { headRefOid: 'b'.repeat(40) });
    await tick(layout, gh);
    expect(await fixTasks(layout)).toHaveLength(1);
    // alice asks for more on the new head: a second fix.
    gh.update((s) =>
      s.prs[0]!.reviews!.push({
        author: 'alice',
        state: 'CHANGES_REQUESTED',
        body: 'The French is wrong.',
        submittedAt: '2026-03-10T14:00:00Z',
      }),
    );
    await tick(layout, gh);
    const after = await fixTasks(layout);
    expect(after).toHaveLength(2);
    expect(after.map((t) => t.body).find((b) => b.includes('The French is wrong.'))).toBeDefined();
  });

  it("a failing CI check becomes one fix task carrying the tail of the failed job log; tickfleet's own statuses are not CI", async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const { task, pr, head } = await delivered(layout, gh);
    const log = `${Array.from({ length: 200 }, (_, i) => `test\tRun npm test\tlog line ${i + 1}`).join('\n')}\n`;
    gh.update((s) => {
      s.runs['4242'] = { log };
      s.prs[0]!.checks = [
        {
          name: 'build',
          status: 'COMPLETED',
          conclusion: 'SUCCESS',
          detailsUrl: 'https://github.com/acme/widgets/actions/runs/4241/job/1',
        },
        {
          name: 'test',
          status: 'COMPLETED',
          conclusion: 'FAILURE',
          detailsUrl: 'https://github.com/acme/widgets/actions/runs/4242/job/9',
        },
      ];
      s.statuses[head] = [{ context: 'tickfleet/lint', state: 'failure', description: 'lint failed' }];
    });
    await tick(layout, gh);
    await tick(layout, gh);

    const fixes = await fixTasks(layout);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({ branch: `agent/${task.id}`, title: `Fix failing CI on PR #${pr} (${task.id})` });
    expect(fixes[0]!.body).toContain('Check **test** (run 4242) failed');
    expect(fixes[0]!.body).toContain('log line 200');
    expect(fixes[0]!.body).toContain('log line 121');
    expect(fixes[0]!.body).not.toContain('log line 120\n');
    expect(fixes[0]!.body).not.toContain('lint');
    expect(gh.calls().filter((c) => c[0] === 'run')).toEqual([['run', 'view', '4242', '--log-failed']]);
  });

  it("max_open_prs counts only open tickfleet PRs, from the tick's one poll", async () => {
    const layout = await fleetProject(config('', 'queue_limits:\n  max_open_prs: 2\n'));
    const gh = fakeGh(layout.root);
    gh.openPr('feature/someone-else', 'c'.repeat(40));
    gh.openPr('dependabot/npm/yaml-2', 'd'.repeat(40));
    await delivered(layout, gh);
    await enqueueTask(layout, { title: 'Next thing', role: 'implement', created_by: 'test' });
    const started = await tick(layout, gh);
    expect(started.started).toHaveLength(1);
    expect(gh.calls().filter((c) => c[0] === 'pr')).toHaveLength(1);

    // A second open tickfleet PR reaches the limit.
    const other = await enqueueTask(layout, { title: 'Other', role: 'implement', created_by: 'test' });
    await deliver(layout, gh, other);
    await enqueueTask(layout, { title: 'Third thing', role: 'implement', created_by: 'test' });
    // The agent is due again, as if its run had ended long ago.
    rmSync(path.join(layout.agents, 'impl-1', 'state.json'));
    const held = await runTick(layout, { gh: gh.gh, spawner: async () => ({ pid: process.pid }) });
    if (!held.ran) throw new Error(held.reason);
    expect(held.started).toHaveLength(0);
    expect(JSON.stringify(held.plan.decisions)).toContain('max_open_prs 2/2');
  });

  it('a failing gh costs one log line, never the tick; status reads the last poll without calling gh', async () => {
    const layout = await fleetProject(config());
    const gh = fakeGh(layout.root);
    const { task, pr } = await delivered(layout, gh);
    gh.update(
      (s) =>
        (s.prs[0]!.checks = [
          {
            name: 'test',
            status: 'COMPLETED',
            conclusion: 'FAILURE',
            detailsUrl: 'https://github.com/acme/widgets/actions/runs/7/job/1',
          },
        ]),
    );
    gh.update((s) => (s.runs['7'] = { log: 'boom\n' }));
    await tick(layout, gh);
    const good = JSON.parse(readFileSync(pollFile(layout), 'utf8'));
    expect(good.prs.map((p: { number: number }) => p.number)).toEqual([pr]);

    const report = await tick(layout, gh, { failing: true });
    expect(report.lines.filter((l) => l.includes('PR poll failed'))).toHaveLength(1);
    expect(report.lines.join('\n')).toMatch(
      /PR poll failed, PRs not followed this tick: gh pr list failed \(exit 1\): HTTP 401/,
    );
    const failed = JSON.parse(readFileSync(pollFile(layout), 'utf8'));
    expect(failed).toMatchObject({
      at: good.at,
      prs: good.prs,
      error: { message: expect.stringContaining('HTTP 401') },
    });

    const calls = gh.calls().length;
    const status = await fleetStatus(layout);
    await fleetStatus(layout);
    expect(gh.calls().length).toBe(calls);
    expect(status.pull_requests).toMatchObject({
      polled_at: good.at,
      poll_error: { message: expect.stringContaining('HTTP 401') },
    });
    expect(status.pull_requests!.open.map((p) => p.line)).toEqual([
      `#${pr} agent/${task.id}: checks failing (test), no review yet`,
    ]);
    const page = formatStatus(status).join('\n');
    expect(page).toMatch(/pull requests {2}1 open \(as of \d\d:\d\d\)/);
    expect(page).toContain('the last poll failed at');
    expect(page).toContain(`  #${pr} agent/${task.id}: checks failing (test), no review yet`);
  });
});
