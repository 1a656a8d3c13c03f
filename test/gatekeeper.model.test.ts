import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { readVerdict } from '../src/gatekeeper/store.js';
import { listMessages } from '../src/messages/list.js';
import { createLocalReview } from '../src/review/local.js';
import { runTick } from '../src/scheduler/tick.js';
import { byPrompt, script, structuredOutput } from '../src/scripted-api/dsl.js';
import { fleetStatus } from '../src/status/collect.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { deliverBranch } from './helpers/gatekeeper.js';
import { bash, tickRun } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git } from './helpers/tmp.js';

const FAIL = {
  verdict: 'fail',
  summary: 'The handler builds a shell command from the request.',
  findings: [
    {
      file: 'src/app.js',
      line: 3,
      severity: 'error',
      message: 'exec() gets req.query.name unescaped: shell injection; pass it as an argument instead',
    },
    { file: 'src/app.js', severity: 'warning', message: 'no rate limit on the endpoint' },
  ],
};

async function project(
  api: Awaited<ReturnType<typeof scriptedApi>>,
  title: string,
): Promise<{ layout: Layout; d: Awaited<ReturnType<typeof deliverBranch>> }> {
  const yaml = `${claudeBlock(api)}\nreview:\n  backend: local\ngatekeeper:\n  enabled: true\n  required_checks: [security]\ntasks:\n  retry_backoff_seconds: 0\nagents:\n  - name: security-checker\n    role: gatekeeper\n    focus: security\n    interval_seconds: 1\n`;
  const layout = await fleetProject(yaml, { 'README.md': '# app\n' });
  const d = await deliverBranch(layout, {
    title,
    files: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
      'src/app.js': "const { exec } = require('child_process');\n// handler\nexec(`greet ${req.query.name}`);\n",
    },
  });
  return { layout, d };
}

/** A tick that starts nothing: the gatekeepers' step alone acts. */
async function quietTick(layout: Layout): Promise<void> {
  const report = await runTick(layout, { spawner: async () => ({ pid: 1 }) });
  if (!report.ran) throw new Error(report.reason);
}

describe('a check with no command runs the gatekeeper agent of its focus through the real client', () => {
  it('fail with findings: the verdict is recorded for the head, and the fix task carries file:line', async () => {
    const api = await scriptedApi(
      byPrompt({ 'Check security on': script(bash('git log --format=%s -1'), structuredOutput(FAIL)) }),
    );
    const { layout, d } = await project(api, 'greet by name');

    const { state, record } = await tickRun(layout, 'security-checker');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'success' });
    const prompt = api.conversation()[0]!.firstUserText;
    expect(prompt).toContain('You are the security gatekeeper');
    expect(prompt).toContain(`Your check: **security**. This worktree is at \`${d.branch}\`, commit ${d.head}`);
    expect(api.conversation()[0]!.tools).toContain('StructuredOutput');
    const verdict = await readVerdict(layout, d.review, d.head, 'security');
    expect(verdict).toMatchObject({
      verdict: 'fail',
      head: d.head,
      by: { agent: 'security-checker' },
      findings: [
        { file: 'src/app.js', line: 3, severity: 'error' },
        { file: 'src/app.js', severity: 'warning' },
      ],
    });
    const checkTask = await findTask(layout, record.task_id!);
    expect(checkTask).toMatchObject({ state: 'done', role: 'gatekeeper-security', branch: d.branch });

    await quietTick(layout);
    const fixes = (await listTasks(layout, { states: ['incoming'] })).tasks.filter(
      (t) => t.created_by === 'gatekeeper' && t.role === 'implement',
    );
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.body).toContain('- `src/app.js:3` error: exec() gets req.query.name unescaped');
    expect(fixes[0]!.wip_branch).toBe(d.branch);
    // The head was checked: no second check task for it.
    await quietTick(layout);
    expect((await listTasks(layout)).tasks.filter((t) => t.role === 'gatekeeper-security')).toHaveLength(1);
  }, 90_000);

  it('pass: without auto_approve the branch is ready for a person, with the command', async () => {
    const api = await scriptedApi(
      byPrompt({
        'Check security on': script(
          structuredOutput({ verdict: 'pass', summary: 'Nothing exploitable.', findings: [] }),
        ),
      }),
    );
    const { layout, d } = await project(api, 'a safe change');
    await tickRun(layout, 'security-checker');
    expect(await readVerdict(layout, d.review, d.head, 'security'), allLogs(layout)).toMatchObject({ verdict: 'pass' });
    await quietTick(layout);
    const status = await fleetStatus(layout);
    expect(status.checks).toEqual([expect.objectContaining({ subject: d.review, line: 'security ✓', state: 'ready' })]);
    expect(status.attention).toContainEqual(
      expect.objectContaining({ kind: 'review_ready', fix: `\`tickfleet review approve ${d.review}\`` }),
    );
  }, 90_000);

  it('a malformed verdict is an error, never a pass: one message, no fix task, the branch waits for a person', async () => {
    // Fits the schema, but fails without saying what to fix.
    const api = await scriptedApi(
      byPrompt({ 'Check security on': script(structuredOutput({ verdict: 'fail', summary: 'Bad.', findings: [] })) }),
    );
    const { layout, d } = await project(api, 'an unclear change');
    const { state } = await tickRun(layout, 'security-checker');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'invalid_decision' });
    const verdict = await readVerdict(layout, d.review, d.head, 'security');
    expect(verdict).toMatchObject({ verdict: 'error' });
    expect(verdict!.summary).toContain('a fail needs at least one finding');
    await quietTick(layout);
    await quietTick(layout);
    const titles = (await listMessages(layout)).map((m) => m.title);
    expect(titles.filter((t) => t === `Check security cannot run on ${d.review}`)).toHaveLength(1);
    expect(
      (await listTasks(layout, { states: ['incoming'] })).tasks.filter((t) => t.created_by === 'gatekeeper'),
    ).toHaveLength(0);
    expect((await fleetStatus(layout)).checks).toEqual([
      expect.objectContaining({ subject: d.review, line: 'security !', state: 'needs_person' }),
    ]);
  }, 90_000);

  it('a check still queued when its branch gets a new commit is cancelled, and the new head is queued instead', async () => {
    // No model call is expected: the gatekeeper agent is paused, so its check tasks stay queued.
    const api = await scriptedApi(byPrompt({}));
    const yaml = `${claudeBlock(api)}\nreview:\n  backend: local\ngatekeeper:\n  enabled: true\n  required_checks: [security]\nagents:\n  - name: security-checker\n    role: gatekeeper\n    focus: security\n    paused: true\n`;
    const layout = await fleetProject(yaml, { 'README.md': '# app\n' });
    const d = await deliverBranch(layout, { title: 'greet', files: { 'src/app.js': 'module.exports = 1;\n' } });
    await quietTick(layout);
    const queued = async () =>
      (await listTasks(layout, { states: ['incoming'] })).tasks.filter((t) => t.role === 'gatekeeper-security');
    const [first] = await queued();
    expect(first?.title).toContain(d.head.slice(0, 12));

    // The fix lands on the same branch: a new head under the same review.
    git(layout.root, 'checkout', '-q', d.branch);
    writeFileSync(path.join(layout.root, 'src/app.js'), 'module.exports = 2;\n');
    git(layout.root, 'commit', '-qam', 'second');
    const head = git(layout.root, 'rev-parse', 'HEAD').trim();
    git(layout.root, 'checkout', '-q', 'main');
    await createLocalReview({ layout }).submit({
      taskId: d.task.id,
      branch: d.branch,
      base: 'main',
      title: 'greet',
      body: 'again',
    });
    await quietTick(layout);

    expect(await findTask(layout, first!.id)).toMatchObject({ state: 'failed', cancelled_at: expect.any(String) });
    expect((await findTask(layout, first!.id)).error).toContain(
      `moved on from ${d.head.slice(0, 12)} to ${head.slice(0, 12)}`,
    );
    const now = await queued();
    expect(now.map((t) => t.title)).toEqual([expect.stringContaining(head.slice(0, 12))]);
    expect(api.conversation()).toEqual([]);
  }, 60_000);
});
