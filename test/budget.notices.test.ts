import { describe, expect, it } from 'vitest';
import { updateAgentState } from '../src/agents/state.js';
import { FakeClock, isoSeconds, localDay } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import { listMessages } from '../src/messages/list.js';
import { nextLocalMidnight } from '../src/scheduler/budget.js';
import type { Spawner } from '../src/scheduler/spawn.js';
import { runTick } from '../src/scheduler/tick.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { fleetProject } from './helpers/fleet.js';

const TWO_IMPL = `review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n  - name: impl-2\n    role: implementer\n    interval_seconds: 60\n`;

/** Stands in for the runner: this process, alive, so the started agent stays "running". */
const spawner: Spawner = async () => ({ pid: process.pid });

let runs = 0;
async function spent(layout: Layout, agent: string, usd: number, at: Date, outcome = 'success'): Promise<string> {
  const runId = `r-${++runs}`;
  await writeLedgerRecord(layout, {
    run_id: runId,
    agent,
    role: 'implementer',
    started_at: isoSeconds(at),
    finished_at: isoSeconds(at),
    duration_ms: 1000,
    outcome,
    reason: outcome,
    cost_usd: usd,
    tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    turns: 1,
  });
  return runId;
}

async function tasks(layout: Layout, n: number, clock: FakeClock): Promise<void> {
  for (let i = 0; i < n; i++)
    await enqueueTask(layout, { title: `Work ${i}`, role: 'implement', created_by: 'test' }, { clock });
}

async function tick(layout: Layout, clock: FakeClock) {
  const report = await runTick(layout, { clock, spawner });
  if (!report.ran) throw new Error(report.reason);
  return report;
}

const warnings = async (layout: Layout) => (await listMessages(layout, { type: 'warning' })).map((m) => m.title).sort();

describe('budget notices', () => {
  it("warns once per day when an agent's daily budget stops it, whatever the number of ticks, and again on the next day", async () => {
    const layout = await fleetProject(`budgets:\n  per_run_usd: 2\n  per_agent_daily_usd: 5\n${TWO_IMPL}`);
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    await tasks(layout, 2, clock);
    await spent(layout, 'impl-1', 5.1, clock.now());

    const first = await tick(layout, clock);
    expect(first.plan.decisions.find((d) => d.agent === 'impl-1')).toMatchObject({ action: 'skip', code: 'budget' });
    expect(first.started.map((s) => s.agent)).toEqual(['impl-2']);
    expect(await warnings(layout)).toEqual(['impl-1 reached its daily budget: $5.10 of $5.00 spent today']);
    const [message] = await listMessages(layout);
    // What was spent, the cap and when it resumes.
    expect(message!.body).toContain('impl-1 has spent $5.10 today');
    expect(message!.body).toContain('its daily budget is $5.00 (budgets.per_agent_daily_usd)');
    const midnight = nextLocalMidnight(clock.now());
    expect(message!.body).toContain(
      `It starts no run before ${localDay(midnight)} 00:00 local time (${isoSeconds(midnight)}).`,
    );
    expect(first.lines.some((l) => l.includes('message sent: impl-1 reached its daily budget'))).toBe(true);

    for (let i = 0; i < 3; i++) {
      clock.advance(15 * 60_000);
      const again = await tick(layout, clock);
      expect(again.plan.decisions.find((d) => d.agent === 'impl-1')).toMatchObject({ code: 'budget' });
    }
    expect(await warnings(layout)).toHaveLength(1);

    // The next day the budget is fresh; spending it again warns again, once.
    clock.advance(24 * 3_600_000);
    await spent(layout, 'impl-1', 5.5, clock.now());
    await tick(layout, clock);
    clock.advance(60_000);
    await tick(layout, clock);
    expect(await warnings(layout)).toEqual([
      'impl-1 reached its daily budget: $5.10 of $5.00 spent today',
      'impl-1 reached its daily budget: $5.50 of $5.00 spent today',
    ]);
  });

  it('warns once for the fleet, not once per agent, when the fleet budget stops everyone', async () => {
    const layout = await fleetProject(`budgets:\n  per_run_usd: 2\n  fleet_daily_usd: 4\n${TWO_IMPL}`);
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    await tasks(layout, 2, clock);
    await spent(layout, 'impl-1', 2.5, clock.now());
    await spent(layout, 'impl-2', 1.6, clock.now());

    const report = await tick(layout, clock);
    expect(report.plan.decisions.map((d) => d.action === 'skip' && d.code)).toEqual(['budget', 'budget']);
    clock.advance(60_000);
    await tick(layout, clock);
    expect(await warnings(layout)).toEqual(['Fleet daily budget reached: $4.10 of $4.00 spent today']);
    const [message] = await listMessages(layout);
    expect(message!.body).toContain('budgets.fleet_daily_usd is $4.00');
    expect(message!.body).toContain('No agent starts a run before');
  });

  it('sends nothing when only a run in flight (counted at its cap) holds an agent back', async () => {
    const layout = await fleetProject(`budgets:\n  per_run_usd: 2\n  fleet_daily_usd: 5.4\n${TWO_IMPL}`);
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    await tasks(layout, 2, clock);
    await spent(layout, 'impl-1', 3, clock.now());
    // impl-1 starts and reserves $2; what is left ($0.40) is too little for impl-2, but nothing is spent yet.
    const report = await tick(layout, clock);
    expect(report.plan.decisions.find((d) => d.agent === 'impl-2')).toMatchObject({ action: 'skip', code: 'budget' });
    expect(await listMessages(layout)).toEqual([]);
  });
});

describe('failure streak notice', () => {
  it('warns once per streak of failed runs, and again for a new streak after a success', async () => {
    const layout = await fleetProject(
      `review:\n  backend: local\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 3600\n`,
    );
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    const fail = async (n: number) => {
      for (let i = 0; i < n; i++) {
        clock.advance(60_000);
        const runId = await spent(layout, 'pm', 0.1, clock.now(), 'api_error');
        await updateAgentState(layout, 'pm', (s) => ({
          ...s,
          last_started_at: isoSeconds(clock.now()),
          last_outcome: {
            run_id: runId,
            kind: 'api_error',
            reason: 'API Error: 500',
            finished_at: isoSeconds(clock.now()),
          },
          consecutive_failures: s.consecutive_failures + 1,
        }));
      }
    };

    await fail(2);
    await tick(layout, clock);
    expect(await warnings(layout)).toEqual([]);

    await fail(1);
    await tick(layout, clock);
    await tick(layout, clock);
    // A fourth failure is the same streak: no second message.
    await fail(1);
    await tick(layout, clock);
    expect(await warnings(layout)).toEqual(['pm failed its last 3 runs']);
    const [message] = await listMessages(layout);
    expect(message!.body).toContain('ended api_error: API Error: 500');
    expect(message!.body).toContain('tickfleet pause-agent pm');

    // A success ends the streak; three more failures are a new one.
    await updateAgentState(layout, 'pm', (s) => ({ ...s, consecutive_failures: 0 }));
    await fail(3);
    await tick(layout, clock);
    expect(await warnings(layout)).toEqual(['pm failed its last 3 runs', 'pm failed its last 3 runs']);
  });
});
