import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import type { CommandStarter } from '../src/gatekeeper/pass.js';
import { readVerdict, writeInFlight } from '../src/gatekeeper/store.js';
import { readQueueState } from '../src/merge-queue/state.js';
import { listMessages } from '../src/messages/list.js';
import { ReviewStore } from '../src/review/reviewStore.js';
import { spawnCheck } from '../src/scheduler/spawn.js';
import { runTick } from '../src/scheduler/tick.js';
import { fleetStatus } from '../src/status/collect.js';
import { formatStatus } from '../src/status/format.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { allLogs, fleetProject, waitFor } from './helpers/fleet.js';
import { deliverBranch } from './helpers/gatekeeper.js';
import { git } from './helpers/tmp.js';

// Fails exactly while the branch holds a file named BAD, so one commit fails and its fix passes.
const LINT = 'test ! -f BAD || { echo "BAD: 1: leftover debug file"; exit 1; }';

function agentsYaml(extra = ''): string {
  return `review:\n  backend: local\ngatekeeper:\n  enabled: true\n  required_checks: [lint]\n  commands:\n    lint: ${JSON.stringify(LINT)}\n${extra}agents: []\n`;
}

/** The real detached check process, counted. */
function countedStarter(): { start: CommandStarter; starts: string[] } {
  const starts: string[] = [];
  return {
    starts,
    start: (layout, spec) => {
      starts.push(`${spec.subject}:${spec.check}:${spec.head.slice(0, 7)}`);
      return spawnCheck(layout, spec);
    },
  };
}

async function tick(layout: Layout, clock: FakeClock, start: CommandStarter): Promise<void> {
  const report = await runTick(layout, { clock, startCheck: start, spawner: async () => ({ pid: 1 }) });
  if (!report.ran) throw new Error(report.reason);
  clock.advance(60_000);
}

const verdictOf = (layout: Layout, review: string, head: string) =>
  waitFor(`the lint verdict on ${review} at ${head.slice(0, 7)}\n${allLogs(layout)}`, () =>
    readVerdict(layout, review, head, 'lint'),
  );

describe('a command check, end to end through ticks and the detached check process', () => {
  it('fails one commit, makes one fix task on its branch, re-checks the fix, approves and merges it (auto_approve)', async () => {
    const layout = await fleetProject(agentsYaml('  auto_approve: true\n'), { 'README.md': '# app\n' });
    const clock = new FakeClock(new Date());
    const { start, starts } = countedStarter();
    const first = await deliverBranch(layout, {
      title: 'add a feature',
      files: { 'feature.txt': 'on\n', BAD: 'debug\n' },
    });

    await tick(layout, clock, start);
    const failed = await verdictOf(layout, first.review, first.head);
    expect(failed).toMatchObject({
      verdict: 'fail',
      check: 'lint',
      head: first.head,
      required: true,
      by: { command: LINT },
    });
    expect(failed.output_tail).toContain('BAD: 1: leftover debug file');

    await tick(layout, clock, start);
    await tick(layout, clock, start);
    // One fix task for that head, however many ticks see the failure; the check itself ran once.
    const fixes = (await listTasks(layout, { states: ['incoming'] })).tasks.filter(
      (t) => t.created_by === 'gatekeeper',
    );
    expect(fixes).toHaveLength(1);
    const fix = fixes[0]!;
    expect(fix).toMatchObject({ role: 'implement', wip_branch: first.branch, priority: 'P1' });
    expect(fix.body).toContain('BAD: 1: leftover debug file');
    expect(fix.body).toContain(`Command: \`${LINT}\``);
    expect(starts).toEqual([`${first.review}:lint:${first.head.slice(0, 7)}`]);
    expect((await findTask(layout, first.task.id)).stage).toBe('changes_requested');
    expect(formatStatus(await fleetStatus(layout, { clock })).join('\n')).toContain(
      `${first.review}: lint ✗  fixing: fix task ${fix.id} (round 1 of 3)`,
    );

    // The fix is delivered from the same branch: a new head, checked again.
    const second = await deliverBranch(layout, {
      title: 'remove the debug file',
      remove: ['BAD'],
      from: first.branch,
      task: fix,
    });
    await tick(layout, clock, start);
    expect((await new ReviewStore(layout).read('rejected', first.review))?.meta.reason).toContain(
      `superseded by ${second.review}`,
    );
    expect(await verdictOf(layout, second.review, second.head)).toMatchObject({ verdict: 'pass' });
    await tick(layout, clock, start);

    // Approved, it lands through the merge queue's detached process that tick started.
    await waitFor(`the merge queue's batch landed\n${allLogs(layout)}`, async () =>
      (await readQueueState(layout)).last.find((b) => b.outcome === 'landed'),
    );
    expect(await new ReviewStore(layout).read('merged', second.review), allLogs(layout)).toBeDefined();
    expect(git(layout.root, 'log', '--format=%s', 'main')).toContain(`${fix.id}: remove the debug file`);
    expect(existsSync(path.join(layout.root, 'feature.txt'))).toBe(true);
    expect((await findTask(layout, first.task.id)).stage).toBe('merged');
    expect((await findTask(layout, fix.id)).stage).toBe('merged');
    expect(starts).toHaveLength(2);
    // Each check's worktree went with its run; the logs stay beside the verdicts.
    expect(git(layout.root, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 60_000);

  it('never checks a head twice, and runs a check again whose process died without a verdict', async () => {
    const layout = await fleetProject(agentsYaml(), { 'README.md': '# app\n' });
    const clock = new FakeClock(new Date());
    const { start, starts } = countedStarter();
    const d = await deliverBranch(layout, { title: 'a clean change', files: { 'ok.txt': 'ok\n' } });
    // A check started by an earlier tick whose process was killed: a pid that is not running.
    await writeInFlight(layout, d.review, d.head, 'lint', {
      kind: 'command',
      pid: 999_999,
      pid_start: 'gone',
      started_at: new Date().toISOString(),
      attempts: 1,
    });

    await tick(layout, clock, start);
    expect(starts).toHaveLength(1);
    expect(await verdictOf(layout, d.review, d.head)).toMatchObject({ verdict: 'pass' });
    for (let i = 0; i < 3; i++) await tick(layout, clock, start);
    expect(starts).toHaveLength(1);
    // Without auto_approve the branch waits for a person, with the command to approve it.
    const status = await fleetStatus(layout, { clock });
    expect(status.checks).toEqual([expect.objectContaining({ subject: d.review, line: 'lint ✓', state: 'ready' })]);
    expect(status.attention).toContainEqual(
      expect.objectContaining({ kind: 'review_ready', fix: `\`tickfleet review approve ${d.review}\`` }),
    );
    expect(await new ReviewStore(layout).read('pending', d.review)).toBeDefined();
  }, 60_000);

  it('after max_fix_rounds the branch needs a person: one message, no more fix tasks', async () => {
    const layout = await fleetProject(agentsYaml('  max_fix_rounds: 0\n'), { 'README.md': '# app\n' });
    const clock = new FakeClock(new Date());
    const { start } = countedStarter();
    const d = await deliverBranch(layout, { title: 'still bad', files: { BAD: 'x\n' } });
    await tick(layout, clock, start);
    await verdictOf(layout, d.review, d.head);
    for (let i = 0; i < 3; i++) await tick(layout, clock, start);

    expect(
      (await listTasks(layout, { states: ['incoming'] })).tasks.filter((t) => t.created_by === 'gatekeeper'),
    ).toHaveLength(0);
    const messages = (await listMessages(layout)).filter((m) => m.title === `${d.review} needs a person`);
    expect(messages).toHaveLength(1);
    expect(readFileSync(messages[0]!.file, 'utf8')).toContain('still fail after 0 fix round(s)');
    const status = await fleetStatus(layout, { clock });
    expect(status.attention).toContainEqual(expect.objectContaining({ kind: 'checks_need_person', ref: d.review }));
    expect(formatStatus(status).join('\n')).toContain(`${d.review}: lint ✗  needs person`);
  }, 60_000);

  it('a command that is not found is an error, never a pass, with one message', async () => {
    const layout = await fleetProject(agentsYaml().replace(JSON.stringify(LINT), 'no-such-linter --strict'), {
      'README.md': '# app\n',
    });
    const clock = new FakeClock(new Date());
    const { start } = countedStarter();
    const d = await deliverBranch(layout, { title: 'anything', files: { 'a.txt': 'a\n' } });
    await tick(layout, clock, start);
    expect(await verdictOf(layout, d.review, d.head)).toMatchObject({ verdict: 'error' });
    await tick(layout, clock, start);
    await tick(layout, clock, start);
    const titles = (await listMessages(layout)).map((m) => m.title);
    expect(titles.filter((t) => t === `Check lint cannot run on ${d.review}`)).toHaveLength(1);
    expect(titles.filter((t) => t === `${d.review} needs a person`)).toHaveLength(1);
    expect(await new ReviewStore(layout).read('pending', d.review)).toBeDefined();
  }, 60_000);
});
