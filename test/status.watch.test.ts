import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { updateAgentState } from '../src/agents/state.js';
import { pauseFleet } from '../src/fleet/pause.js';
import type { FleetStatus } from '../src/status/fleetStatus.js';
import { type RedrawReason, watchStatus } from '../src/status/watch.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { fleetProject } from './helpers/fleet.js';
import { manualTimers } from './helpers/timers.js';

const YAML = `review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n`;

/** Every redraw, and a way to wait for the next one that matches. */
function redraws() {
  const seen: { status: FleetStatus; reason: RedrawReason }[] = [];
  const waiters: { test: (s: FleetStatus, r: RedrawReason) => boolean; resolve: (s: FleetStatus) => void }[] = [];
  return {
    seen,
    render(status: FleetStatus, reason: RedrawReason) {
      seen.push({ status, reason });
      for (const w of waiters.splice(0)) w.test(status, reason) ? w.resolve(status) : waiters.push(w);
    },
    next(test: (s: FleetStatus, r: RedrawReason) => boolean): Promise<FleetStatus> {
      const hit = seen.find((x) => test(x.status, x.reason));
      return hit ? Promise.resolve(hit.status) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

describe('status --watch', () => {
  it('redraws when a task lands in the queue, an agent changes, the fleet pauses, and on the timer', async () => {
    const layout = await fleetProject(YAML);
    const timers = manualTimers();
    const screen = redraws();
    const controller = new AbortController();
    const errors: Error[] = [];
    const done = watchStatus(layout, {
      signal: controller.signal,
      timers,
      debounceMs: 20,
      render: screen.render,
      onError: (e) => errors.push(e),
    });

    await screen.next((_, r) => r === 'start');
    const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    const afterEnqueue = await screen.next((s, r) => r === 'change' && s.queue.counts.incoming === 1);
    expect(afterEnqueue.queue.byStateAndRole.incoming).toEqual({ implement: 1 });

    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      last_outcome: {
        run_id: 'r-1',
        kind: 'timeout',
        reason: 'wall clock',
        finished_at: '2026-01-01T00:00:00Z',
        task_id: task.id,
      },
    }));
    await screen.next((s, r) => r === 'change' && s.agents[0]?.last_outcome?.kind === 'timeout');

    await pauseFleet(layout, {
      until: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'usage limit',
      since: new Date().toISOString(),
    });
    await screen.next((s, r) => r === 'change' && s.fleet.quota_pause?.reason === 'usage limit');

    const before = screen.seen.length;
    timers.fire();
    await screen.next((_, r) => r === 'interval');
    expect(screen.seen.length).toBe(before + 1);

    controller.abort();
    await done;
    expect(timers.pending()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows a broken agents.yaml as an error and redraws once it is fixed', async () => {
    const layout = await fleetProject(YAML);
    const screen = redraws();
    const errors: Error[] = [];
    let broken: () => void = () => undefined;
    const sawError = new Promise<void>((resolve) => (broken = resolve));
    const controller = new AbortController();
    const done = watchStatus(layout, {
      signal: controller.signal,
      timers: manualTimers(),
      debounceMs: 20,
      render: screen.render,
      onError: (e) => {
        errors.push(e);
        broken();
      },
    });
    await screen.next((_, r) => r === 'start');
    writeFileSync(layout.agentsYaml, 'agents:\n  - name: impl-1\n    role: plumber\n');
    await sawError;
    expect(errors[0]!.message).toMatch(/agents\.yaml: 1 problem/);
    writeFileSync(layout.agentsYaml, YAML);
    await screen.next((s, r) => r === 'change' && s.agents.length === 1);
    controller.abort();
    await done;
  });
});
