import { describe, expect, it } from 'vitest';
import type { AgentStatus } from '../src/status/agentStatus.js';
import { type AttentionInput, attentionItems } from '../src/status/attention.js';
import { configFrom } from './helpers/config.js';

const now = new Date('2026-03-10T12:00:00Z');
const config = configFrom(
  `claude:\n  timeout_minutes: 30\nagents:\n  - name: impl-1\n    role: implementer\n  - name: pm\n    role: product_manager\n`,
);

function agent(name: string, extra: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name,
    role: 'implementer',
    interval_seconds: 300,
    phase: 'waiting',
    reason: 'not due',
    consecutive_failures: 0,
    cost_today_usd: 0,
    ...extra,
  };
}

const quiet: AttentionInput = {
  now,
  config,
  agents: [agent('impl-1'), agent('pm')],
  failed: [],
  questions: [],
  pendingReviews: [],
  quarantined: [],
  proposalsQuarantined: 0,
  unreadable: [],
  dependencyProblems: [],
  openPrs: { count: 0 },
  tick: { installed: 'cron' },
  lastTick: { at: new Date(now.getTime() - 30_000), source: '.orchestrator/logs/tick.log', fromRuns: false },
};

describe('what needs a person', () => {
  it('nothing, for a fleet that ticks and has no problems', () => {
    expect(attentionItems(quiet)).toEqual([]);
  });

  it('an unreadable PR count, a failing agent, a stuck run, a dependency cycle and a silent installed tick', () => {
    const items = attentionItems({
      ...quiet,
      lastTick: { at: new Date(now.getTime() - 25 * 60_000), source: '.orchestrator/logs/tick.log', fromRuns: false },
      openPrs: { error: 'gh pr list failed (exit 4): authentication required' },
      dependencyProblems: [
        {
          kind: 'cycle',
          ids: ['TASK-a', 'TASK-b'],
          message: 'blocked_by cycle among TASK-a, TASK-b: none of them can ever be claimed',
        },
      ],
      agents: [
        // 30-minute timeout, plus the follow-up's margin: 70 minutes is stuck.
        agent('impl-1', {
          phase: 'running',
          running: { run_id: 'r-9', started_at: '2026-03-10T10:50:00Z', pid: 4242, task_id: 'TASK-a' },
        }),
        agent('pm', {
          consecutive_failures: 4,
          last_outcome: {
            run_id: 'r-8',
            kind: 'api_error',
            reason: 'API Error: 401 invalid x-api-key\nmore',
            finished_at: '2026-03-10T11:00:00Z',
          },
        }),
      ],
    });
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['no_tick', 'the tick is installed with cron but none ran for 25m'],
      ['dependency', 'blocked_by cycle among TASK-a, TASK-b: none of them can ever be claimed'],
      [
        'open_prs_unreadable',
        'open PR count unreadable, so no task is claimed: gh pr list failed (exit 4): authentication required',
      ],
      ['stuck_agent', 'impl-1 has been running for 1h10m, far past its 30-minute timeout'],
      ['failing_agent', 'pm failed its last 4 runs (last: api_error: API Error: 401 invalid x-api-key)'],
    ]);
    expect(items.find((i) => i.kind === 'stuck_agent')!.fix).toContain('kill it (pid 4242)');
    expect(items.find((i) => i.kind === 'open_prs_unreadable')!.fix).toContain('gh auth status');
  });

  it('a run well within its time is not stuck; a usage-limit streak is not a failing agent (the pause says so)', () => {
    const items = attentionItems({
      ...quiet,
      agents: [
        agent('impl-1', {
          phase: 'running',
          running: { run_id: 'r-9', started_at: '2026-03-10T11:30:00Z', pid: 4242 },
        }),
        agent('pm', {
          consecutive_failures: 5,
          last_outcome: { run_id: 'r-8', kind: 'usage_limit', reason: '429', finished_at: '2026-03-10T11:00:00Z' },
        }),
      ],
    });
    expect(items).toEqual([]);
  });

  it('branches waiting in the local review queue, named, at most three of them', () => {
    const one = attentionItems({ ...quiet, pendingReviews: [{ id: 'REV-TASK-a', title: 'A' }] });
    expect(one.map((i) => [i.kind, i.text])).toEqual([
      ['review_waiting', '1 branch waits for your review: REV-TASK-a'],
    ]);
    const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => ({ id: `REV-TASK-${x}`, title: x }));
    const many = attentionItems({ ...quiet, pendingReviews: ids });
    expect(many.map((i) => i.text)).toEqual([
      '5 branches wait for your review: REV-TASK-a, REV-TASK-b, REV-TASK-c, and 2 more',
    ]);
    expect(many[0]!.fix).toContain('tickfleet review approve <id>');
  });

  it('agents held by max_open_prs, with the count and the limit; not when the count is unreadable (said once already)', () => {
    const held = (code: AgentStatus['code']) =>
      agent('impl-1', { phase: 'blocked', code, reason: 'max_open_prs 10/10' });
    const items = attentionItems({ ...quiet, agents: [held('open_prs'), agent('pm')], openPrs: { count: 10 } });
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['review_backpressure', 'impl-1 waits: 10 open PRs or pending reviews reach max_open_prs 10'],
    ]);
    expect(items[0]!.fix).toContain('tune-backpressure --max-open-prs');
    const unreadable = attentionItems({
      ...quiet,
      agents: [held('open_prs')],
      openPrs: { error: 'gh: not logged in' },
    });
    expect(unreadable.map((i) => i.kind)).toEqual(['open_prs_unreadable']);
    expect(attentionItems({ ...quiet, agents: [held('max_claimed')], openPrs: { count: 10 } })).toEqual([]);
  });
});
