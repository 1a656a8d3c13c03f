import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatValue, renderFamilies } from '../src/metrics/exposition.js';
import type { MetricsInput } from '../src/metrics/input.js';
import { renderMetrics } from '../src/metrics/render.js';

const SAMPLE: MetricsInput = {
  queue: { incoming: { tester: 1, implementer: 3 }, claimed: { implementer: 2 }, done: {}, failed: { implementer: 1 } },
  proposals: { active: 4, promoted: 10 },
  runsToday: { timeout: 1, success: 12 },
  costUsdToday: 3.25,
  agents: { running: 2, paused: 1, idle: 3 },
  fleetPaused: false,
  tickDurationSeconds: 0.842,
  tickAt: new Date('2026-01-01T00:00:30.500Z'),
};

describe('renderMetrics', () => {
  it('renders every metric as a gauge, samples sorted by label, in the text exposition format', () => {
    expect(renderMetrics(SAMPLE)).toBe(`# HELP tickfleet_queue_tasks Tasks in each queue folder, by role.
# TYPE tickfleet_queue_tasks gauge
tickfleet_queue_tasks{state="claimed",role="implementer"} 2
tickfleet_queue_tasks{state="failed",role="implementer"} 1
tickfleet_queue_tasks{state="incoming",role="implementer"} 3
tickfleet_queue_tasks{state="incoming",role="tester"} 1
# HELP tickfleet_proposals Proposals in each proposal folder.
# TYPE tickfleet_proposals gauge
tickfleet_proposals{state="active"} 4
tickfleet_proposals{state="promoted"} 10
# HELP tickfleet_runs_today Agent runs started today (local day), by outcome; resets at midnight.
# TYPE tickfleet_runs_today gauge
tickfleet_runs_today{outcome="success"} 12
tickfleet_runs_today{outcome="timeout"} 1
# HELP tickfleet_cost_usd_today Today's spend of the whole fleet in US dollars (local day).
# TYPE tickfleet_cost_usd_today gauge
tickfleet_cost_usd_today 3.25
# HELP tickfleet_agents Agents by state: running (a run in progress), paused, idle.
# TYPE tickfleet_agents gauge
tickfleet_agents{state="running"} 2
tickfleet_agents{state="paused"} 1
tickfleet_agents{state="idle"} 3
# HELP tickfleet_fleet_paused 1 while new spawns are paused for the whole fleet, else 0.
# TYPE tickfleet_fleet_paused gauge
tickfleet_fleet_paused 0
# HELP tickfleet_tick_duration_seconds How long the last scheduler tick took.
# TYPE tickfleet_tick_duration_seconds gauge
tickfleet_tick_duration_seconds 0.842
# HELP tickfleet_last_tick_timestamp_seconds When the last scheduler tick ran, in seconds since the Unix epoch.
# TYPE tickfleet_last_tick_timestamp_seconds gauge
tickfleet_last_tick_timestamp_seconds 1767225630.5
`);
  });

  it('puts constant labels first on every sample, escaped', () => {
    const text = renderMetrics({
      ...SAMPLE,
      queue: {},
      proposals: {},
      runsToday: {},
      fleetPaused: true,
      constLabels: { project: '/srv/"a"\\b\nc' },
    });
    expect(text).toContain('tickfleet_agents{project="/srv/\\"a\\"\\\\b\\nc",state="paused"} 1\n');
    expect(text).toContain('tickfleet_fleet_paused{project="/srv/\\"a\\"\\\\b\\nc"} 1\n');
    // A family with no samples still says what it is.
    expect(text).toContain('# TYPE tickfleet_queue_tasks gauge\n# HELP tickfleet_proposals');
  });

  it('escapes label values from the queue (a role name is user text)', () => {
    const text = renderMetrics({ ...SAMPLE, queue: { incoming: { 'say "hi"\\now\n': 1 } } });
    expect(text).toContain('tickfleet_queue_tasks{state="incoming",role="say \\"hi\\"\\\\now\\n"} 1\n');
  });

  it('refuses bad label names and a constant label that clashes with a metric label', () => {
    expect(() => renderMetrics({ ...SAMPLE, constLabels: { 'bad-name': 'x' } })).toThrow(
      'invalid label name "bad-name"',
    );
    expect(() => renderMetrics({ ...SAMPLE, constLabels: { __name: 'x' } })).toThrow('invalid label name "__name"');
    expect(() => renderMetrics({ ...SAMPLE, constLabels: { state: 'x' } })).toThrow(
      'label "state" of tickfleet_queue_tasks is also a constant label',
    );
  });
});

describe('exposition primitives', () => {
  it('escapes only what the format requires', () => {
    expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
    expect(escapeHelp('say "x"\\\nnext')).toBe('say "x"\\\\\\nnext');
  });

  it('writes special floats the way Prometheus parses them', () => {
    expect([NaN, Infinity, -Infinity, 0, -0, 1e21, 0.1].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0',
      '0',
      '1e+21',
      '0.1',
    ]);
  });

  it('renders counters and refuses an invalid metric name', () => {
    expect(renderFamilies([{ name: 'x_total', help: 'h', type: 'counter', samples: [{ value: 1 }] }])).toBe(
      '# HELP x_total h\n# TYPE x_total counter\nx_total 1\n',
    );
    expect(() => renderFamilies([{ name: '1x', help: 'h', type: 'gauge', samples: [] }])).toThrow(
      'invalid metric name "1x"',
    );
  });
});
