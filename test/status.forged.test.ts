import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { updateAgentState } from '../src/agents/state.js';
import { FakeClock, isoSeconds } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { currentProcessIdentity } from '../src/core/processInfo.js';
import { pauseFleet } from '../src/fleet/pause.js';
import { tickfleetInvocation } from '../src/init/cliCommand.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import { sendQuestion, sendWarning } from '../src/messages/send.js';
import { fleetStatus } from '../src/status/collect.js';
import type { FleetStatus } from '../src/status/fleetStatus.js';
import { formatStatus } from '../src/status/format.js';
import { claimNext } from '../src/tasks/claim.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { failTask } from '../src/tasks/fail.js';
import { quarantineTask } from '../src/tasks/quarantine.js';
import { CLI } from './helpers/cli.js';
import { healthyClaudeBlock } from './helpers/endpoint.js';
import { fleetProject } from './helpers/fleet.js';

const execFileP = promisify(execFile);

const YAML = `review:
  backend: local
budgets:
  per_run_usd: 2
  fleet_daily_usd: 20
agents:
  - name: impl-1
    role: implementer
  - name: impl-2
    role: implementer
    paused: true
  - name: impl-3
    role: implementer
    daily_budget_usd: 1
  - name: tester
    role: tester
`;

interface Forged {
  layout: Layout;
  failedId: string;
  runningTask: string;
  pauseUntil: string;
}

/** A fleet mid-flight: one agent running, one paused, one over its budget, a quota pause, a failed task, a quarantined file, messages. */
async function forge(now: Date): Promise<Forged> {
  // A client that would start, so only the forged state needs a person.
  const layout = await fleetProject(`${YAML}${await healthyClaudeBlock()}\n`);
  const clock = new FakeClock(now.getTime() - 30 * 60_000);
  const add = (title: string) => {
    // One second apart, so claims take them in this order.
    clock.advance(1000);
    return enqueueTask(layout, { title, role: 'implement', created_by: 'test' }, { clock });
  };
  const running = await add('Add a greeting');
  const failing = await add('Parse the config');
  await add('Write the docs');
  await add('Tidy the README');
  const broken = await add('Something unreadable');
  await quarantineTask(layout, broken.id, 'front matter does not parse');

  const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 3600, clock });
  if (!claim.ok || claim.task.id !== running.id) throw new Error('expected to claim the first task');
  const me = await currentProcessIdentity();
  const startedAt = isoSeconds(new Date(now.getTime() - 12 * 60_000));
  await updateAgentState(layout, 'impl-1', (s) => ({
    ...s,
    last_started_at: startedAt,
    running: {
      run_id: 'run-now',
      started_at: startedAt,
      pid: me.pid,
      pid_start: me.start,
      task_id: running.id,
      token: claim.token,
    },
  }));

  const second = await claimNext(layout, { role: 'implement', holder: 'impl-3', leaseSeconds: 3600, clock });
  if (!second.ok) throw new Error(second.reason);
  await failTask(layout, second.task.id, second.token, {
    error: 'tests fail: 3 of 40',
    retry: false,
    backoffSeconds: 60,
    clock,
  });

  const record = (run_id: string, agent: string, cost: number) =>
    writeLedgerRecord(layout, {
      run_id,
      agent,
      role: 'implementer',
      started_at: isoSeconds(new Date(now.getTime() - 20 * 60_000)),
      finished_at: isoSeconds(new Date(now.getTime() - 15 * 60_000)),
      duration_ms: 300_000,
      outcome: 'failed',
      reason: 'tests fail',
      cost_usd: cost,
      tokens: { input: 1, output: 1, cache_read: 0, cache_creation: 0 },
      turns: 4,
    });
  await record('run-old', 'impl-3', 1.5);
  await updateAgentState(layout, 'impl-3', (s) => ({
    ...s,
    last_started_at: isoSeconds(new Date(now.getTime() - 20 * 60_000)),
    last_outcome: {
      run_id: 'run-old',
      kind: 'failed',
      reason: 'tests fail',
      finished_at: isoSeconds(new Date(now.getTime() - 15 * 60_000)),
      task_id: failing.id,
    },
    consecutive_failures: 1,
  }));

  await sendWarning(layout, { title: 'Merge conflict on TASK-x', body: 'details', from: 'impl-1' }, { clock });
  clock.advance(60_000);
  await sendQuestion(
    layout,
    { title: 'Which database should the cache use?', body: 'Redis or SQLite?', from: 'impl-3', task: failing.id },
    { clock },
  );

  const pauseUntil = isoSeconds(new Date(now.getTime() + 45 * 60_000));
  await pauseFleet(layout, {
    until: pauseUntil,
    reason: 'usage limit reached (429)',
    since: isoSeconds(now),
    agent: 'impl-3',
  });
  return { layout, failedId: second.task.id, runningTask: running.id, pauseUntil };
}

const phases = (s: FleetStatus) => Object.fromEntries(s.agents.map((a) => [a.name, a.phase]));
const kinds = (s: FleetStatus) => s.attention.map((a) => a.kind);

describe('fleetStatus', () => {
  // Noon local time: nothing here crosses midnight.
  const noon = new Date(2026, 2, 10, 12, 0, 0);

  it('shows each agent, the quota pause, spend, queue, messages and what needs a person', async () => {
    const { layout, failedId, runningTask, pauseUntil } = await forge(noon);
    const s = await fleetStatus(layout, { clock: new FakeClock(noon) });

    expect(phases(s)).toEqual({ 'impl-1': 'running', 'impl-2': 'paused', 'impl-3': 'paused', tester: 'paused' });
    const impl1 = s.agents.find((a) => a.name === 'impl-1')!;
    expect(impl1.running).toMatchObject({ run_id: 'run-now', task_id: runningTask, pid: process.pid });
    expect(impl1.running).not.toHaveProperty('token');
    expect(s.agents.find((a) => a.name === 'impl-2')!.reason).toMatch(
      /^paused \(paused: true in its agents.yaml entry at line \d+\)$/,
    );
    const impl3 = s.agents.find((a) => a.name === 'impl-3')!;
    expect(impl3).toMatchObject({
      reason: expect.stringMatching(/^fleet paused until /),
      next_due_at: pauseUntil,
      cost_today_usd: 1.5,
      last_outcome: { kind: 'failed' },
    });

    expect(s.fleet).toMatchObject({
      paused: false,
      quota_pause: { until: pauseUntil, reason: 'usage limit reached (429)' },
      spend_today_usd: 1.5,
      daily_budget_usd: 20,
      running: 1,
      tick: { last_ran_at: isoSeconds(new Date(noon.getTime() - 12 * 60_000)), last_ran_is_agent_start: true },
    });
    expect(s.fleet.tick.installed).toBeUndefined();
    expect(s.queue.counts).toEqual({ incoming: 2, claimed: 1, done: 0, failed: 1 });
    expect(s.queue.byStateAndRole.incoming).toEqual({ implement: 2 });
    expect(s.queue.quarantined).toBe(1);
    expect(s.messages).toMatchObject({ total: 2, byType: { question: 1, warning: 1, info: 0, error: 0 } });
    expect(s.messages.newest.map((m) => m.title)).toEqual([
      'Which database should the cache use?',
      'Merge conflict on TASK-x',
    ]);

    expect(kinds(s)).toEqual(['no_tick', 'failed_task', 'question', 'quarantined']);
    expect(s.attention[0]!.text).toBe(
      'no tick is installed and the last sign of one is an agent start 12m ago: no agent will start',
    );
    expect(s.attention[1]).toMatchObject({
      ref: failedId,
      text: `${failedId} failed after 1 attempt: Parse the config (tests fail: 3 of 40)`,
      fix: expect.stringContaining(`tickfleet retry-failed ${failedId}`),
    });
    expect(s.attention[2]!.text).toBe(
      `question from impl-3 on ${s.attention[1]!.ref}: Which database should the cache use?`,
    );
  });

  it('after the pause: an agent over its daily budget is blocked until midnight; a run far past its timeout is stuck', async () => {
    const { layout } = await forge(noon);
    const later = new FakeClock(noon.getTime() + 60 * 60_000);
    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      running: { ...s.running!, started_at: isoSeconds(new Date(noon.getTime() - 3 * 3_600_000)) },
    }));
    const s = await fleetStatus(layout, { clock: later });
    expect(s.fleet.quota_pause).toBeUndefined();
    expect(phases(s)).toEqual({ 'impl-1': 'running', 'impl-2': 'paused', 'impl-3': 'blocked', tester: 'waiting' });
    const impl3 = s.agents.find((a) => a.name === 'impl-3')!;
    expect(impl3.reason).toMatch(/^impl-3's daily budget: \$1\.50 of \$1\.00 spent today; waits until /);
    expect(impl3.next_due_at).toBe(isoSeconds(new Date(2026, 2, 11, 0, 0, 0)));
    expect(s.agents.find((a) => a.name === 'tester')!.reason).toBe(
      'no claimable task for role test (none in incoming)',
    );
    expect(s.attention.find((a) => a.kind === 'stuck_agent')).toMatchObject({
      ref: 'impl-1',
      text: 'impl-1 has been running for 4h00m, far past its 60-minute timeout',
    });
  });

  it('formats a compact, aligned page for people', async () => {
    const { layout, failedId } = await forge(noon);
    const text = formatStatus(await fleetStatus(layout, { clock: new FakeClock(noon) })).join('\n');
    expect(text).toContain(`tickfleet status · ${layout.root} · 2026-03-10 12:00`);
    expect(text).toMatch(
      /fleet {2}1 of 4 running · \$1\.50 of \$20\.00 spent today · tick: not installed, last started an agent 12m ago/,
    );
    expect(text).toContain('paused until 12:45: usage limit reached (429) (`tickfleet resume-fleet`)');
    expect(text).toMatch(
      /^ {2}impl-1 +implementer +running +no result yet +- +\$0\.00 +on TASK-[0-9a-f]+, pid \d+, for 12m$/m,
    );
    expect(text).toMatch(/^ {2}impl-3 +implementer +paused +failed 15m ago +12:45 +\$1\.50 +fleet paused until/m);
    expect(text).toMatch(/^ {2}implement +2 +1 +0 +1$/m);
    expect(text).toContain('messages  2 waiting (1 warning, 1 question) in .orchestrator/messages/');
    expect(text).toContain('needs a person (4)');
    expect(text).toContain(`  • ${failedId} failed after 1 attempt: Parse the config (tests fail: 3 of 40)`);
    expect(text).toContain(
      '    → run `tickfleet setup cron` (or launchd / systemd), or keep `tickfleet watch` running',
    );
  });
});

describe('tickfleet status (built CLI)', () => {
  it('prints the page, and --json the same data', async () => {
    const { layout, failedId, pauseUntil } = await forge(new Date());
    const env = { ...process.env, NO_COLOR: '1' };
    const human = await execFileP(process.execPath, [CLI, '-C', layout.root, 'status'], { env });
    expect(human.stdout).toMatch(/^ {2}impl-1 +implementer +running /m);
    expect(human.stdout).toMatch(/^ {2}impl-2 +implementer +paused /m);
    expect(human.stdout).toContain(
      `: usage limit reached (429) (\`${tickfleetInvocation(layout.root).command} resume-fleet\`)`,
    );
    expect(human.stdout).toContain(`${failedId} failed after 1 attempt`);
    expect(human.stdout).not.toContain('\u001b[');

    const json = JSON.parse(
      (await execFileP(process.execPath, [CLI, '-C', layout.root, 'status', '--json'], { env })).stdout,
    ) as FleetStatus;
    expect(json.fleet.quota_pause?.until).toBe(pauseUntil);
    expect(phases(json)).toMatchObject({ 'impl-1': 'running', 'impl-2': 'paused', tester: 'paused' });
    expect(json.queue.counts.failed).toBe(1);
    expect(json.attention.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['failed_task', 'question', 'quarantined', 'no_tick']),
    );
  });
});
