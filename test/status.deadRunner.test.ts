import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { updateAgentState } from '../src/agents/state.js';
import { isoSeconds } from '../src/core/clock.js';
import { currentProcessIdentity, processStartTime } from '../src/core/processInfo.js';
import { fleetStatus } from '../src/status/collect.js';
import { formatStatus } from '../src/status/format.js';
import { fleetProject } from './helpers/fleet.js';

describe('status and a runner that died unseen', () => {
  it('shows the dead runner as dead before any tick, and a live one as running', async () => {
    const layout = await fleetProject(
      'agents:\n  - name: impl-1\n    role: implementer\n  - name: impl-2\n    role: implementer\n',
    );
    // A real process, recorded as impl-1's runner, then killed the way a machine or a person kills it.
    const runner = spawn('sleep', ['600'], { stdio: 'ignore' });
    const start = await processStartTime(runner.pid!);
    expect(start).toBeDefined();
    const startedAt = isoSeconds(new Date(Date.now() - 60_000));
    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      last_started_at: startedAt,
      running: {
        run_id: 'run-dead',
        started_at: startedAt,
        pid: runner.pid!,
        pid_start: start!,
        task_id: 'TASK-00000001',
      },
    }));
    const me = await currentProcessIdentity();
    await updateAgentState(layout, 'impl-2', (s) => ({
      ...s,
      last_started_at: startedAt,
      running: { run_id: 'run-live', started_at: startedAt, pid: me.pid, pid_start: me.start },
    }));
    runner.kill('SIGKILL');
    await once(runner, 'exit');

    const s = await fleetStatus(layout);
    const dead = s.agents.find((a) => a.name === 'impl-1')!;
    expect(dead.runner_dead).toBe(`runner died (pid ${runner.pid}), the next tick will bury it`);
    expect(s.agents.find((a) => a.name === 'impl-2')!.runner_dead).toBeUndefined();
    const text = formatStatus(s).join('\n');
    expect(text).toMatch(
      new RegExp(
        `^ {2}impl-1 .*on TASK-00000001: runner died \\(pid ${runner.pid}\\), the next tick will bury it$`,
        'm',
      ),
    );
    expect(text).toMatch(new RegExp(`^ {2}impl-2 .*pid ${me.pid}, for 1m$`, 'm'));
  });
});
