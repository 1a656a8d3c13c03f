import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { type Layout, layoutFor, taskDir } from '../src/core/paths.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import type { LedgerRecord } from '../src/ledger/record.js';
import { createProposal } from '../src/proposals/create.js';
import { promoteProposal } from '../src/proposals/promote.js';
import type { ProposalInput } from '../src/proposals/proposal.js';
import { rejectProposal } from '../src/proposals/reject.js';
import { buildReport } from '../src/report/build.js';
import { sendDailyReport } from '../src/report/daily.js';
import { formatReport } from '../src/report/format.js';
import { type DailyReportWriter, dailyStateFile, dailyStep } from '../src/scheduler/dailyStep.js';
import { TickLog } from '../src/scheduler/log.js';
import { serializeTask } from '../src/tasks/format.js';
import type { TaskFields, TaskState } from '../src/tasks/task.js';
import { configFrom } from './helpers/config.js';
import { fleetProject } from './helpers/fleet.js';
import { git, TEST_GIT_ENV } from './helpers/tmp.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const SINCE = new Date('2026-03-09T12:00:00Z');

function run(run_id: string, started_at: string, over: Partial<LedgerRecord>): LedgerRecord {
  return {
    run_id,
    agent: 'impl-1',
    role: 'implementer',
    started_at,
    finished_at: started_at,
    duration_ms: 1000,
    outcome: 'success',
    reason: 'done',
    cost_usd: 0,
    tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    turns: 1,
    ...over,
  };
}

/** A task file written by hand into a queue folder. */
function forgeTask(layout: Layout, state: TaskState, id: string, over: Partial<TaskFields> = {}): string {
  const fields: TaskFields = {
    id,
    title: `work ${id}`,
    role: 'implement',
    priority: 'P2',
    created: '2026-03-09T00:00:00Z',
    created_by: 'pm',
    blocked_by: [],
    expedite: false,
    attempts: 1,
    max_attempts: 3,
    ...over,
  };
  const file = path.join(taskDir(layout, state), `${id}.md`);
  writeFileSync(file, serializeTask({ ...fields, body: '\nDo it.\n', state, file }));
  return file;
}

function forgeVerdict(layout: Layout, subject: string, head: string, verdict: 'pass' | 'fail', at: string): void {
  const dir = path.join(layout.dir, 'checks', subject, head);
  mkdirSync(dir, { recursive: true });
  const v = {
    check: 'tests',
    branch: 'b',
    head,
    verdict,
    required: true,
    summary: '',
    findings: [],
    by: { command: 'npm test' },
    at,
  };
  writeFileSync(path.join(dir, 'tests.json'), JSON.stringify(v));
}

const proposal = (title: string): ProposalInput => ({
  title,
  proposer: 'architect',
  category: 'refactor',
  complexity: 'S',
  summary: 'one line',
});

/** A fleet whose last day is known to the cent: every figure below is counted by hand from these records. */
async function forgedFleet(): Promise<Layout> {
  const layout = await fleetProject('review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n');
  for (const [i, hour] of ['01', '02', '03'].entries()) {
    writeFileSync(path.join(layout.root, `f${i}.txt`), `${i}\n`);
    git(layout.root, 'add', '-A');
    // rev-list --since reads the committer date.
    const date = `2026-03-10T${hour}:00:00Z`;
    execFileSync('git', ['commit', '-q', '-m', `c${i}`], {
      cwd: layout.root,
      env: { ...process.env, ...TEST_GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
  }
  for (const r of [
    run('r1', '2026-03-10T01:00:00Z', { task_id: 'TASK-00000001', cost_usd: 1 }),
    run('r2', '2026-03-10T03:00:00Z', {
      task_id: 'TASK-00000002',
      cost_usd: 0.5,
      outcome: 'timeout',
      reason: 'first timeout',
    }),
    run('r3', '2026-03-10T04:00:00Z', { agent: 'test-1', role: 'tester', task_id: 'TASK-00000003', cost_usd: 0.25 }),
    run('r4', '2026-03-10T04:30:00Z', { agent: 'pm', role: 'product_manager', cost_usd: 0.25 }),
    run('r5', '2026-03-10T05:00:00Z', {
      task_id: 'TASK-00000002',
      cost_usd: 0.5,
      outcome: 'timeout',
      reason: 'second timeout',
    }),
    run('r6', '2026-03-10T05:30:00Z', { outcome: 'api_error', reason: 'HTTP 500' }),
    run('r7', '2026-03-10T06:30:00Z', { task_id: 'TASK-00000006' }),
    // Before the window: neither its cost nor its outcome counts.
    run('r0', '2026-03-08T12:00:00Z', { task_id: 'TASK-00000009', cost_usd: 9, outcome: 'crashed' }),
  ])
    await writeLedgerRecord(layout, r);

  forgeTask(layout, 'done', 'TASK-00000001', { stage: 'merged', stage_at: '2026-03-10T02:00:00Z' });
  forgeTask(layout, 'done', 'TASK-00000003', { role: 'test', stage: 'merged', stage_at: '2026-03-10T06:00:00Z' });
  forgeTask(layout, 'done', 'TASK-00000009', { stage: 'merged', stage_at: '2026-03-08T13:00:00Z' });
  const failed = forgeTask(layout, 'failed', 'TASK-00000002', { attempts: 3, error: 'second timeout' });
  utimesSync(failed, new Date('2026-03-10T05:01:00Z'), new Date('2026-03-10T05:01:00Z'));
  forgeTask(layout, 'incoming', 'TASK-00000004', { attempts: 0 });
  forgeTask(layout, 'done', 'TASK-00000005', { stage: 'in_review', stage_at: '2026-03-10T07:00:00Z' });
  forgeTask(layout, 'done', 'TASK-00000006', { stage: 'changes_requested', stage_at: '2026-03-10T08:00:00Z' });

  forgeVerdict(layout, 'REV-TASK-00000001', 'aaaa', 'pass', '2026-03-10T01:30:00Z');
  forgeVerdict(layout, 'REV-TASK-00000006', 'bbbb', 'fail', '2026-03-10T07:30:00Z');
  forgeVerdict(layout, 'REV-TASK-00000006', 'cccc', 'pass', '2026-03-10T07:50:00Z');

  const decided = new FakeClock(new Date('2026-03-10T09:00:00Z'));
  const p1 = await createProposal(layout, proposal('one'));
  const p2 = await createProposal(layout, proposal('two'));
  const p3 = await createProposal(layout, proposal('three'));
  await promoteProposal(layout, p1.id, { by: 'curator', clock: decided, taskId: 'TASK-00000004', score: 7 });
  await rejectProposal(layout, p2.id, { by: 'curator', clock: decided, feedback: 'no' });
  await rejectProposal(layout, p3.id, {
    by: 'curator',
    clock: new FakeClock(new Date('2026-03-01T09:00:00Z')),
    feedback: 'old',
  });
  return layout;
}

describe('the morning report', () => {
  it('counts a forged day to the cent', async () => {
    const layout = await forgedFleet();
    const r = await buildReport(layout, { since: SINCE, now: NOW });

    expect(r.hours).toBe(24);
    expect(r.tasks.merged.map((t) => t.id)).toEqual(['TASK-00000001', 'TASK-00000003']);
    expect(r.tasks.failed).toEqual([
      expect.objectContaining({ id: 'TASK-00000002', error: 'second timeout', at: '2026-03-10T05:01:00.000Z' }),
    ]);
    expect(r.tasks.waiting).toEqual({ queued: 1, in_review: 1, changes_requested: 1 });
    expect(r.throughput).toEqual({ commits: 3, commits_per_hour: 0.13, merged_per_hour: 0.08 });
    expect(r.cost).toEqual({
      total_usd: 2.5,
      per_merged_task_usd: 1.25,
      by_role: { implementer: 2, tester: 0.25, product_manager: 0.25 },
    });
    expect(r.acceptance).toEqual({
      implementer: {
        checks_first_try: { passed: 1, total: 2, rate: 0.5 },
        reviews_approved: { passed: 1, total: 2, rate: 0.5 },
      },
      tester: { reviews_approved: { passed: 1, total: 1, rate: 1 } },
      proposer: { proposals_promoted: { passed: 1, total: 2, rate: 0.5 } },
    });
    expect(r.errors).toEqual({
      runs: 7,
      failed_runs: 3,
      error_rate: 0.4286,
      top_reasons: [
        { outcome: 'timeout', count: 2, example: 'second timeout' },
        { outcome: 'api_error', count: 1, example: 'HTTP 500' },
      ],
    });

    const text = formatReport(r);
    expect(text).toContain('- merged: 2 · failed: 1 · waiting: queued 1, in review 1, changes requested 1');
    expect(text).toContain('- total: $2.50 · per merged task: $1.25');
    expect(text).toContain('- implementer: checks passed at first try 1/2 (50%) · reviews approved 1/2 (50%)');
    expect(text).toContain('- 3 of 7 runs did not succeed (error rate 43%)');
  });

  it('is written as a message once a day, from the morning on, by the daily step', async () => {
    const layout = await forgedFleet();
    const config = configFrom('agents: []\n');
    const clock = new FakeClock(new Date(2026, 2, 10, 5, 0, 0));
    const log = new TickLog(layout, clock, false);
    let written = 0;
    const writer: DailyReportWriter = async (l, c, k) => {
      written++;
      return sendDailyReport(l, c, k);
    };
    expect(await dailyStep(layout, config, writer, { clock, log })).toBe(false); // before the morning
    clock.set(new Date(2026, 2, 10, 7, 0, 0));
    expect(await dailyStep(layout, config, writer, { clock, log })).toBe(true);
    expect(await dailyStep(layout, config, writer, { clock, log })).toBe(false); // the same day
    expect(written).toBe(1);
    const messages = readdirSync(layout.messages).filter((f) => f.endsWith('.md'));
    expect(messages).toHaveLength(1);
    const message = readFileSync(path.join(layout.messages, messages[0]!), 'utf8');
    expect(message).toContain('Fleet report 2026-03-10: 2 merged, 1 failed, $2.50');
    expect(JSON.parse(readFileSync(dailyStateFile(layout), 'utf8'))).toMatchObject({ report_day: '2026-03-10' });
    clock.set(new Date(2026, 2, 11, 6, 30, 0));
    expect(await dailyStep(layout, config, writer, { clock, log })).toBe(true);
    expect(written).toBe(2);
  });

  it('--json and the text come from the same report through the built CLI', async () => {
    const layout = layoutFor((await forgedFleet()).root);
    const { cli } = await import('./helpers/cli.js');
    const json = await cli(['report', '--since', '2026-03-09T12:00:00Z', '--json'], { TICKFLEET_PROJECT: layout.root });
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { cost: { by_role: Record<string, number> } };
    expect(parsed.cost.by_role.tester).toBe(0.25);
    const bad = await cli(['report', '--since', 'yesterday'], { TICKFLEET_PROJECT: layout.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: expected a date');
  });
});
