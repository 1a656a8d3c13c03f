import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import type { TickReport } from '../src/scheduler/tick.js';
import { runTick } from '../src/scheduler/tick.js';
import { tryTickLock } from '../src/scheduler/tickLock.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { type WatchTickEvent, watchFleet } from '../src/watch/loop.js';
import { fleetProject } from './helpers/fleet.js';
import { manualTimers } from './helpers/timers.js';

const YAML = `review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n`;

/** A tick that records how many run at once and can be held open by the test. */
function scriptedTick() {
  let active = 0;
  let hold: Promise<void> | undefined;
  const calls: number[] = [];
  const maxActive = { value: 0 };
  const tick = async (): Promise<TickReport> => {
    active++;
    maxActive.value = Math.max(maxActive.value, active);
    calls.push(Date.now());
    try {
      await hold;
    } finally {
      active--;
    }
    return {
      ran: true,
      dryRun: false,
      plan: { now: '2026-03-10T12:00:00Z', decisions: [] },
      started: [],
      notStarted: [],
      warnings: [],
      durationMs: 3,
      lines: [],
    };
  };
  return {
    tick,
    calls,
    maxActive,
    /** Hold every tick until the returned function is called. */
    holdTicks(): () => void {
      let release: () => void = () => undefined;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

function ticks() {
  const seen: WatchTickEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    seen,
    onTick(e: WatchTickEvent) {
      seen.push(e);
      for (const w of waiters.splice(0)) seen.length >= w.n ? w.resolve() : waiters.push(w);
    },
    /** Resolves once `n` ticks in all have been reported. */
    count(n: number): Promise<void> {
      return seen.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
  };
}

const task = (layout: Layout, title = 'Some work') =>
  enqueueTask(layout, { title, role: 'implement', created_by: 'test' });

describe('tickfleet watch', () => {
  it('ticks on start, on the interval and right after a task lands in incoming/', async () => {
    const layout = await fleetProject(YAML);
    const timers = manualTimers();
    const fake = scriptedTick();
    const log = ticks();
    const controller = new AbortController();
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    // Each tick takes two seconds of the injected clock.
    const tick = () => {
      clock.advance(2_000);
      return fake.tick();
    };
    const done = watchFleet(layout, {
      signal: controller.signal,
      timers,
      clock,
      tick,
      onTick: log.onTick,
      debounceMs: 20,
      intervalMs: 60_000,
    });

    await log.count(1);
    expect(log.seen[0]).toMatchObject({
      reason: 'start',
      at: '2026-03-10T12:00:00Z',
      line: '2026-03-10T12:00:00Z tick (start): 0 started, 0 waiting in 3 ms',
    });
    // The next tick is one interval after this one started, not after it ended.
    expect(timers.delays).toEqual([58_000]);

    timers.fire();
    await log.count(2);
    expect(log.seen[1]!.reason).toBe('interval');

    await task(layout);
    await log.count(3);
    expect(log.seen[2]!.reason).toBe('incoming');

    controller.abort();
    await done;
    expect(timers.pending()).toBe(0);
    expect(fake.maxActive.value).toBe(1);
    // Each tick's line is in logs/tick.log, where doctor and status look for the last tick.
    const logged = readFileSync(path.join(layout.logs, 'tick.log'), 'utf8').trim().split('\n');
    expect(logged.map((l) => /tick \((\w+)\)/.exec(l)?.[1])).toEqual(['start', 'interval', 'incoming']);
  });

  it('never runs two ticks at once: changes during a tick make one more tick after it', async () => {
    const layout = await fleetProject(YAML);
    const timers = manualTimers();
    const fake = scriptedTick();
    const log = ticks();
    const controller = new AbortController();
    const release = fake.holdTicks();
    const done = watchFleet(layout, {
      signal: controller.signal,
      timers,
      tick: fake.tick,
      onTick: log.onTick,
      debounceMs: 20,
      logFile: false,
    });

    // The start tick is held open while three tasks land; no timer is armed during a tick.
    await task(layout, 'one');
    await task(layout, 'two');
    await task(layout, 'three');
    expect(timers.pending()).toBe(0);
    expect(fake.calls).toHaveLength(1);
    release();
    await log.count(2);
    expect(log.seen.map((e) => e.reason)).toEqual(['start', 'incoming']);
    expect(fake.maxActive.value).toBe(1);

    controller.abort();
    await done;
    expect(fake.calls).toHaveLength(2);
    expect(existsSync(path.join(layout.logs, 'tick.log'))).toBe(false);
  });

  it('on stop, finishes the tick in progress before returning, and starts no other', async () => {
    const layout = await fleetProject(YAML);
    const timers = manualTimers();
    const fake = scriptedTick();
    const log = ticks();
    const controller = new AbortController();
    const release = fake.holdTicks();
    let returned = false;
    const done = watchFleet(layout, {
      signal: controller.signal,
      timers,
      tick: fake.tick,
      onTick: log.onTick,
      debounceMs: 20,
      logFile: false,
    }).then(() => {
      returned = true;
    });
    await task(layout);
    controller.abort();
    await Promise.resolve();
    expect(returned).toBe(false);
    release();
    await done;
    expect(log.seen.map((e) => e.reason)).toEqual(['start']);
    expect(timers.pending()).toBe(0);
  });

  it('keeps going when a tick fails, and runTick lock keeps it from overlapping a cron tick', async () => {
    const layout = await fleetProject(YAML);
    const timers = manualTimers();
    const log = ticks();
    const controller = new AbortController();
    const held = await tryTickLock(layout);
    let calls = 0;
    const tick = () =>
      ++calls === 2
        ? Promise.reject(new Error('agents.yaml: 1 problem'))
        : runTick(layout, { spawner: async () => ({ pid: process.pid }) });
    const done = watchFleet(layout, {
      signal: controller.signal,
      timers,
      tick,
      onTick: log.onTick,
      debounceMs: 20,
      logFile: false,
    });
    await log.count(1);
    expect(log.seen[0]!.line).toMatch(/tick \(start\): skipped: another tick is running \(lock .*scheduler\.lock\)/);
    timers.fire();
    await log.count(2);
    expect(log.seen[1]!.line).toMatch(/tick \(interval\): tick failed: agents\.yaml: 1 problem$/);
    await held!.release();
    timers.fire();
    await log.count(3);
    expect(log.seen[2]!.line).toMatch(/tick \(interval\): 0 started, 1 waiting in \d+ ms$/);
    controller.abort();
    await done;
  });
});
