import { describe, expect, it } from 'vitest';
import { readAgentState, updateAgentState } from '../src/agents/state.js';
import { FakeClock } from '../src/core/clock.js';
import type { RunnerSpec, Spawner } from '../src/scheduler/spawn.js';
import { runTick } from '../src/scheduler/tick.js';
import { claimNext } from '../src/tasks/claim.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { renewLease } from '../src/tasks/renew.js';
import { requeueStale } from '../src/tasks/requeue.js';
import { fleetProject } from './helpers/fleet.js';

// timeout_minutes 2: a run can last 2 minutes plus its delivery grace (30 minutes).
const YAML = `review:\n  backend: local\nclaude:\n  timeout_minutes: 2\ntasks:\n  lease_seconds: 300\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n`;

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

/** A run recorded with a pid that is alive (this process) but no start time: a reused pid would look the same. */
async function forgeRun(pidStart: string | undefined) {
  const layout = await fleetProject(YAML);
  const clock = new FakeClock('2026-03-10T12:00:00Z');
  const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' }, { clock });
  const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 300, clock });
  if (!claim.ok) throw new Error(claim.reason);
  await updateAgentState(layout, 'impl-1', (s) => ({
    ...s,
    last_started_at: '2026-03-10T12:00:00Z',
    running: {
      run_id: 'r-1',
      started_at: '2026-03-10T12:00:00Z',
      pid: process.pid,
      ...(pidStart ? { pid_start: pidStart } : {}),
      task_id: task.id,
      token: claim.token,
    },
  }));
  return { layout, clock, task, claim };
}

describe('a runner recorded with an unknown start time', () => {
  for (const pidStart of ['unknown', undefined]) {
    it(`(pid_start ${pidStart ?? 'missing'}) is believed while a run can last, then counts as dead`, async () => {
      const { layout, clock, claim } = await forgeRun(pidStart);
      // Within the run's time limit: its pid is alive, so it is taken for the runner.
      clock.advance(20 * 60_000);
      await renewLease(layout, claim.task.id, claim.token, { leaseSeconds: 300, clock });
      await runTick(layout, { clock, spawner: recordingSpawner().spawner });
      expect((await readAgentState(layout, 'impl-1')).running).toMatchObject({ run_id: 'r-1' });
      expect((await findTask(layout, claim.task.id)).state).toBe('claimed');

      // Past it (2 + 30 minutes after the start), the live pid proves nothing: the run is buried.
      clock.advance(13 * 60_000);
      await renewLease(layout, claim.task.id, claim.token, { leaseSeconds: 300, clock });
      await runTick(layout, { clock, spawner: recordingSpawner().spawner });
      const state = await readAgentState(layout, 'impl-1');
      expect(state.last_outcome).toMatchObject({ run_id: 'r-1', kind: 'crashed' });
      expect(state.last_outcome!.reason).toMatch(
        /recorded without a start time and is past its time limit \(2026-03-10T12:32:00Z\)/,
      );
      expect(state.running?.run_id).not.toBe('r-1');
      expect(await findTask(layout, claim.task.id)).toMatchObject({ attempts: 1 });
    });
  }

  it('in a lease: believed while the lease is valid, then the lease expiry decides', async () => {
    const { layout, clock, claim } = await forgeRun(undefined);
    await renewLease(layout, claim.task.id, claim.token, {
      leaseSeconds: 300,
      clock,
      runner: { pid: process.pid, start: 'unknown' },
    });
    clock.advance(299_000);
    expect(await requeueStale(layout, { clock, backoffSeconds: 60 })).toEqual([]);
    clock.advance(1_000);
    expect(await requeueStale(layout, { clock, backoffSeconds: 60 })).toMatchObject([
      { id: claim.task.id, to: 'incoming', reason: 'lease of impl-1 expired at 2026-03-10T12:05:00Z' },
    ]);
  });
});
