import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readAgentState, updateAgentState } from '../src/agents/state.js';
import { FakeClock, localDay } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { currentProcessIdentity } from '../src/core/processInfo.js';
import { readLedgerDay } from '../src/ledger/ledger.js';
import type { RunnerSpec, Spawner } from '../src/scheduler/spawn.js';
import { runTick } from '../src/scheduler/tick.js';
import { tryTickLock } from '../src/scheduler/tickLock.js';
import { claimNext } from '../src/tasks/claim.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { CLI } from './helpers/cli.js';
import { healthyClaudeBlock } from './helpers/endpoint.js';
import { fleetProject } from './helpers/fleet.js';

const execFileP = promisify(execFile);

const YAML = `review:\n  backend: local\ntasks:\n  lease_seconds: 300\n  retry_backoff_seconds: 600\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 300\n`;

/** A spawner that records what it would start and hands back this process as the "runner". */
function recordingSpawner(): { spawner: Spawner; specs: RunnerSpec[] } {
  const specs: RunnerSpec[] = [];
  return {
    specs,
    spawner: async (_layout, spec) => {
      specs.push(spec);
      return { pid: process.pid };
    },
  };
}

async function claimedBy(layout: Layout, agent: string, clock: FakeClock) {
  await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' }, { clock });
  const claim = await claimNext(layout, { role: 'implement', holder: agent, leaseSeconds: 300, clock });
  if (!claim.ok) throw new Error(claim.reason);
  return claim;
}

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${statSync(p).mtimeMs}:${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

describe('runTick', () => {
  it('never overlaps: a tick that finds the lock held leaves at once and says why', async () => {
    const layout = await fleetProject(YAML);
    const held = await tryTickLock(layout);
    try {
      const report = await runTick(layout, { spawner: recordingSpawner().spawner });
      expect(report).toMatchObject({ ran: false });
      expect(report.ran === false && report.reason).toMatch(/^another tick is running \(lock .*scheduler\.lock\)/);
      // Through the CLI, as cron runs it: exit 0, with the reason.
      const { stdout } = await execFileP(process.execPath, [CLI, '-C', layout.root, 'scheduler']);
      expect(stdout).toMatch(/another tick is running/);
    } finally {
      await held!.release();
    }
  });

  it('starts a due agent on the next task: claims it, records the run, hands the token to the runner', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' }, { clock });
    const { spawner, specs } = recordingSpawner();
    const report = await runTick(layout, { clock, spawner });
    expect(report.ran && report.started).toEqual([
      {
        agent: 'impl-1',
        runId: expect.stringMatching(/^20260310-120000-impl-1-[0-9a-f]{4}$/),
        pid: process.pid,
        taskId: task.id,
      },
    ]);
    const claimed = await findTask(layout, task.id);
    expect(claimed.state).toBe('claimed');
    expect(specs[0]).toMatchObject({ agent: 'impl-1', taskId: task.id, token: claimed.lease!.token, budgetUsd: 2 });
    const state = await readAgentState(layout, 'impl-1');
    expect(state).toMatchObject({
      last_started_at: '2026-03-10T12:00:00Z',
      running: { task_id: task.id, pid: process.pid, token: claimed.lease!.token },
    });
  });

  it('a reused pid is not mistaken for the runner: its task goes back with attempts + 1', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const claim = await claimedBy(layout, 'impl-1', clock);
    // This pid is alive, but its start time is not the runner's: the runner is gone and the pid was reused.
    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      last_started_at: '2026-03-10T12:00:00Z',
      running: {
        run_id: 'r-1',
        started_at: '2026-03-10T12:00:00Z',
        pid: process.pid,
        pid_start: 'not-its-start',
        task_id: claim.task.id,
        token: claim.token,
      },
    }));
    clock.advance(60_000);
    await runTick(layout, { clock, spawner: recordingSpawner().spawner });
    const back = await findTask(layout, claim.task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(back.error).toBe(
      `its runner (pid ${process.pid}) died without recording an end (killed, or the machine restarted)`,
    );
    expect((await readAgentState(layout, 'impl-1')).last_outcome).toMatchObject({ run_id: 'r-1', kind: 'crashed' });
    expect(await readLedgerDay(layout, localDay(new Date('2026-03-10T12:00:00Z')))).toMatchObject([
      { run_id: 'r-1', outcome: 'crashed' },
    ]);
  });

  it('a live runner that keeps renewing is never reclaimed', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const claim = await claimedBy(layout, 'impl-1', clock);
    const me = await currentProcessIdentity();
    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      last_started_at: '2026-03-10T12:00:00Z',
      running: {
        run_id: 'r-1',
        started_at: '2026-03-10T12:00:00Z',
        pid: me.pid,
        pid_start: me.start,
        task_id: claim.task.id,
        token: claim.token,
      },
    }));
    clock.advance(120_000);
    const report = await runTick(layout, { clock, spawner: recordingSpawner().spawner });
    expect((await findTask(layout, claim.task.id)).state).toBe('claimed');
    expect(report.ran && report.plan.decisions[0]).toMatchObject({ code: 'running' });
  });

  it('a lease that expired sends the task back, with the injected clock and no sleeping', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const claim = await claimedBy(layout, 'impl-1', clock);
    clock.advance(301_000);
    await runTick(layout, { clock, spawner: recordingSpawner().spawner });
    const back = await findTask(layout, claim.task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(back.error).toMatch(/lease .*expired/);
  });

  it('--dry-run explains every agent and changes nothing', async () => {
    // The dry run also checks that the client would start: give it a key and an endpoint that answers.
    const layout = await fleetProject(
      `${YAML}  - name: impl-2\n    role: implementer\n    paused: true\n${await healthyClaudeBlock()}\n`,
    );
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' }, { clock });
    const before = snapshotTree(layout.dir);
    const { spawner, specs } = recordingSpawner();
    const report = await runTick(layout, { clock, spawner, dryRun: true });
    expect(report.ran && report.plan.decisions).toEqual([
      {
        agent: 'impl-1',
        action: 'start',
        claimRole: 'implement',
        runBudgetUsd: 2,
        reason: 'due; claims the next implement task',
      },
      {
        agent: 'impl-2',
        action: 'skip',
        code: 'paused',
        reason: 'paused (paused: true in its agents.yaml entry at line 10)',
      },
    ]);
    expect(specs).toEqual([]);
    expect(snapshotTree(layout.dir)).toEqual(before);
  });

  it('fails closed on a bad agents.yaml: nothing is claimed or started', async () => {
    const layout = await fleetProject(YAML.replace('interval_seconds: 300', 'interval_seconds: 5m'));
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    const { spawner, specs } = recordingSpawner();
    await expect(runTick(layout, { spawner })).rejects.toThrow(/agents\.yaml: 1 problem/);
    expect(specs).toEqual([]);
    const { stdout, stderr, code } = await execFileP(process.execPath, [CLI, '-C', layout.root, 'scheduler']).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/agents\.yaml:\d+ agents\[0\]\.interval_seconds: must be/);
  });

  it('a runner that cannot be started gives its claim back without charging an attempt', async () => {
    const layout = await fleetProject(YAML);
    const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    const report = await runTick(layout, {
      spawner: async () => Promise.reject(new Error('EAGAIN: no more processes')),
    });
    expect(report.ran && report.notStarted).toEqual([
      { agent: 'impl-1', reason: 'could not start the runner: EAGAIN: no more processes' },
    ]);
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'incoming', attempts: 0 });
    expect((await readAgentState(layout, 'impl-1')).running).toBeUndefined();
  });

  it('writes Prometheus metrics when metrics.textfile is set', async () => {
    const layout = await fleetProject(`metrics:\n  textfile: metrics/tickfleet.prom\n${YAML}`);
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    await runTick(layout, { spawner: recordingSpawner().spawner });
    const text = readFileSync(path.join(layout.root, 'metrics/tickfleet.prom'), 'utf8');
    expect(text).toMatch(/^tickfleet_queue_tasks\{project=".*",state="claimed",role="implement"\} 1$/m);
    expect(text).toMatch(/^tickfleet_agents\{project=".*",state="running"\} 1$/m);
  });
});
