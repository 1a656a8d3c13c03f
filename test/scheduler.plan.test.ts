import { describe, expect, it } from 'vitest';
import type { AgentState } from '../src/agents/state.js';
import { planTick } from '../src/scheduler/plan.js';
import type { TickSnapshot } from '../src/scheduler/snapshot.js';
import { configFrom } from './helpers/config.js';

const NOW = new Date('2026-03-10T12:00:00Z');

function snapshot(over: Partial<TickSnapshot> = {}): TickSnapshot {
  return {
    now: NOW,
    agents: {},
    queue: { incoming: 3, claimed: 0, claimable: { implement: 3 }, waiting: {} },
    openPrs: { count: 0 },
    proposals: { active: 0, activeByProposer: {} },
    spend: { fleet: 0, byAgent: {} },
    ...over,
  };
}

const state = (s: Partial<AgentState>): AgentState => ({ consecutive_failures: 0, ...s });

const TWO_IMPL = `
queue_limits: { max_incoming: 20, max_claimed: 5, max_open_prs: 10 }
agents:
  - name: impl-1
    role: implementer
    interval_seconds: 180
  - name: impl-2
    role: implementer
    interval_seconds: 180
`;

function decision(plan: ReturnType<typeof planTick>, agent: string) {
  const d = plan.decisions.find((x) => x.agent === agent);
  if (!d) throw new Error(`no decision for ${agent}`);
  return d;
}

describe('planTick', () => {
  it('starts every due agent that has a task, claiming for its role', () => {
    const plan = planTick(configFrom(TWO_IMPL), snapshot());
    expect(plan.decisions).toEqual([
      {
        agent: 'impl-1',
        action: 'start',
        claimRole: 'implement',
        runBudgetUsd: 2,
        reason: 'due; claims the next implement task',
      },
      {
        agent: 'impl-2',
        action: 'start',
        claimRole: 'implement',
        runBudgetUsd: 2,
        reason: 'due; claims the next implement task',
      },
    ]);
  });

  it('does not start two agents for one claimable task', () => {
    const plan = planTick(
      configFrom(TWO_IMPL),
      snapshot({ queue: { incoming: 1, claimed: 0, claimable: { implement: 1 }, waiting: {} } }),
    );
    expect(plan.decisions.map((d) => d.action)).toEqual(['start', 'skip']);
    expect(decision(plan, 'impl-2')).toMatchObject({ code: 'no_task', reason: 'no task for its role implement' });
  });

  it('says why an agent is not due, and when it will be', () => {
    const plan = planTick(
      configFrom(TWO_IMPL),
      snapshot({ agents: { 'impl-1': state({ last_started_at: '2026-03-10T11:59:00Z' }) } }),
    );
    expect(decision(plan, 'impl-1')).toEqual({
      agent: 'impl-1',
      action: 'skip',
      code: 'not_due',
      reason: 'not due until 2026-03-10T12:02:00Z (interval 180s, last start 2026-03-10T11:59:00Z)',
      until: '2026-03-10T12:02:00Z',
    });
  });

  it('never starts an agent twice when the clock jumps back', () => {
    // The last start is "in the future": the clock went back an hour.
    const plan = planTick(
      configFrom(TWO_IMPL),
      snapshot({ agents: { 'impl-1': state({ last_started_at: '2026-03-10T13:00:00Z' }) } }),
    );
    expect(decision(plan, 'impl-1')).toMatchObject({ action: 'skip', code: 'not_due', until: '2026-03-10T12:03:00Z' });
  });

  it('gives one catch-up run after a long sleep, not a burst', () => {
    const config = configFrom(TWO_IMPL);
    const asleep = snapshot({ agents: { 'impl-1': state({ last_started_at: '2026-03-09T12:00:00Z' }) } });
    expect(decision(planTick(config, asleep), 'impl-1')).toMatchObject({ action: 'start' });
    // The start is recorded; the very next tick does not start it again.
    const next = snapshot({
      now: new Date(NOW.getTime() + 60_000),
      agents: { 'impl-1': state({ last_started_at: NOW.toISOString() }) },
    });
    expect(decision(planTick(config, next), 'impl-1')).toMatchObject({ action: 'skip', code: 'not_due' });
  });

  it('never starts an agent that is running', () => {
    const plan = planTick(
      configFrom(TWO_IMPL),
      snapshot({
        agents: {
          'impl-1': state({
            running: { run_id: 'r1', started_at: '2026-03-10T11:50:00Z', pid: 4242, task_id: 'TASK-0000aaaa' },
          }),
        },
      }),
    );
    expect(decision(plan, 'impl-1')).toMatchObject({
      code: 'running',
      reason: 'running since 2026-03-10T11:50:00Z on TASK-0000aaaa (pid 4242)',
    });
  });

  it('holds claims at max_claimed and when the open PR count is unreadable', () => {
    const config = configFrom(TWO_IMPL);
    expect(
      decision(
        planTick(config, snapshot({ queue: { incoming: 3, claimed: 5, claimable: { implement: 3 }, waiting: {} } })),
        'impl-1',
      ),
    ).toMatchObject({ code: 'max_claimed', reason: 'max_claimed 5/5' });
    expect(decision(planTick(config, snapshot({ openPrs: { error: 'gh: not logged in' } })), 'impl-1')).toMatchObject({
      code: 'open_prs',
      reason: 'open PR count unreadable, claims blocked: gh: not logged in',
    });
    expect(decision(planTick(config, snapshot({ openPrs: { count: 10 } })), 'impl-2')).toMatchObject({
      code: 'open_prs',
      reason: 'max_open_prs 10/10',
    });
  });

  it('stops everything on paused: true, and an agent on its own pause', () => {
    const fleet = planTick(configFrom(`paused: true\n${TWO_IMPL}`), snapshot());
    expect(fleet.decisions.every((d) => d.action === 'skip' && d.code === 'fleet_paused')).toBe(true);
    const one = planTick(
      configFrom(
        TWO_IMPL.replace(
          '    interval_seconds: 180\n  - name: impl-2',
          '    interval_seconds: 180\n    paused: true\n  - name: impl-2',
        ),
      ),
      snapshot(),
    );
    expect(decision(one, 'impl-1')).toMatchObject({
      code: 'paused',
      reason: 'paused (paused: true in its agents.yaml entry at line 4)',
    });
    expect(decision(one, 'impl-2')).toMatchObject({ action: 'start' });
  });

  it('waits out a quota pause fleet-wide', () => {
    const plan = planTick(
      configFrom(TWO_IMPL),
      snapshot({
        fleetPause: { until: '2026-03-10T13:00:00Z', reason: 'usage limit (HTTP 429)', since: '2026-03-10T11:00:00Z' },
      }),
    );
    for (const d of plan.decisions)
      expect(d).toMatchObject({ action: 'skip', code: 'quota_paused', until: '2026-03-10T13:00:00Z' });
  });

  it('caps spawns per tick and starts the most overdue first', () => {
    const config = configFrom(`scheduler: { max_spawns_per_tick: 1 }\n${TWO_IMPL}`);
    const plan = planTick(
      config,
      snapshot({
        agents: {
          'impl-1': state({ last_started_at: '2026-03-10T11:50:00Z' }),
          'impl-2': state({ last_started_at: '2026-03-10T10:00:00Z' }),
        },
      }),
    );
    expect(decision(plan, 'impl-2')).toMatchObject({ action: 'start' });
    expect(decision(plan, 'impl-1')).toMatchObject({ code: 'spawn_cap' });
  });

  it('keeps the PM out when the queue is full and out of the proposal model', () => {
    const pm =
      'queue_limits: { max_incoming: 4 }\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 600\n';
    expect(
      decision(
        planTick(configFrom(pm), snapshot({ queue: { incoming: 3, claimed: 1, claimable: {}, waiting: {} } })),
        'pm',
      ),
    ).toMatchObject({
      code: 'max_incoming',
      reason: 'queue full: incoming + claimed 4/4 (max_incoming)',
    });
    expect(
      decision(
        planTick(configFrom(pm), snapshot({ queue: { incoming: 2, claimed: 1, claimable: {}, waiting: {} } })),
        'pm',
      ),
    ).toMatchObject({ action: 'start' });
    const plan = planTick(configFrom(`model: proposal\n${pm}`), snapshot());
    expect(decision(plan, 'pm')).toMatchObject({ code: 'wrong_model' });
  });

  it('gives a run what is left of a daily budget, and waits for tomorrow when too little is left', () => {
    const config = configFrom(`budgets: { per_run_usd: 2, fleet_daily_usd: 10, per_agent_daily_usd: 5 }\n${TWO_IMPL}`);
    const some = planTick(config, snapshot({ spend: { fleet: 2, byAgent: { 'impl-1': 3.5 } } }));
    expect(decision(some, 'impl-1')).toMatchObject({ action: 'start', runBudgetUsd: 1.5 });
    expect(decision(some, 'impl-2')).toMatchObject({ action: 'start', runBudgetUsd: 2 });
    const spent = planTick(config, snapshot({ spend: { fleet: 2, byAgent: { 'impl-1': 4.8 } } }));
    expect(decision(spent, 'impl-1')).toMatchObject({ action: 'skip', code: 'budget' });
    expect((decision(spent, 'impl-1') as { reason: string }).reason).toMatch(
      /^impl-1's daily budget: \$4\.80 of \$5\.00 spent today; waits until /,
    );
    // Runs in flight count at their per-run cap.
    const busy = planTick(
      config,
      snapshot({
        spend: { fleet: 5.6, byAgent: {} },
        agents: {
          other: state({ running: { run_id: 'r', started_at: '2026-03-10T11:00:00Z' } }),
          other2: state({ running: { run_id: 'r2', started_at: '2026-03-10T11:00:00Z' } }),
        },
      }),
    );
    expect(decision(busy, 'impl-1')).toMatchObject({ action: 'skip', code: 'budget' });
    expect((decision(busy, 'impl-1') as { reason: string }).reason).toMatch(
      /fleet daily budget: \$5\.60 of \$10\.00 spent today and \$4\.00 reserved for runs in flight/,
    );
  });

  it('is pure: the same input gives the same plan', () => {
    const config = configFrom(TWO_IMPL);
    expect(planTick(config, snapshot())).toEqual(planTick(config, snapshot()));
  });
});
