import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAgentState } from '../src/agents/state.js';
import { loadConfig } from '../src/config/load.js';
import { summariseConfig } from '../src/config/summary.js';
import { FakeClock } from '../src/core/clock.js';
import { runTick } from '../src/scheduler/tick.js';
import { listTasks } from '../src/tasks/list.js';
import { fleetProject } from './helpers/fleet.js';
import { deliverBranch } from './helpers/gatekeeper.js';
import { CLAUDE_BIN } from './helpers/scriptedApi.js';

const SEED = readFileSync(path.join(import.meta.dirname, 'fixtures/config/seed/gatekeeper.yaml'), 'utf8');

describe('the documented gatekeeper config (coordinator, lint and test checkers)', () => {
  it('runs through several ticks without an error: the coordinator runs no model, the checkers get check tasks of their focus', async () => {
    const layout = await fleetProject(
      `review:\n  backend: local\nclaude:\n  command: [${JSON.stringify(CLAUDE_BIN)}]\n${SEED}`,
      { 'README.md': '# app\n' },
    );
    const { config } = await loadConfig(layout);
    expect(summariseConfig(config).settings).toContainEqual([
      'coordinator',
      'gatekeeper-coordinator runs no model: the tick finds branches waiting for checks every 5m, fans the checks out and combines the verdicts',
    ]);
    const d = await deliverBranch(layout, { title: 'a change', files: { 'a.txt': 'a\n' } });
    const clock = new FakeClock(new Date());
    const started: { agent: string; taskId?: string }[] = [];
    const lines: string[] = [];
    for (let i = 0; i < 4; i++) {
      const report = await runTick(layout, {
        clock,
        spawner: async (_l, spec) => {
          started.push({ agent: spec.agent, ...(spec.taskId ? { taskId: spec.taskId } : {}) });
          return { pid: process.pid };
        },
        sleep: async () => undefined,
      });
      if (!report.ran) throw new Error(report.reason);
      lines.push(...report.lines);
      expect(report.plan.decisions.find((x) => x.agent === 'gatekeeper-coordinator')).toMatchObject({
        action: 'skip',
        code: 'no_model',
      });
      clock.advance(301_000);
    }
    expect(lines.join('\n')).not.toMatch(/no prompt for agent|gatekeeper pass failed|could not start/);
    expect(started.map((s) => s.agent).sort()).toEqual(['lint-checker', 'test-checker']);
    const checks = (await listTasks(layout)).tasks.filter((t) => t.role.startsWith('gatekeeper-'));
    expect(checks.map((t) => t.role).sort()).toEqual(['gatekeeper-lint', 'gatekeeper-tests']);
    expect(checks.every((t) => t.branch === d.branch)).toBe(true);
    // The coordinator's interval paces the gatekeepers' pass: its last pass is its last start.
    expect((await readAgentState(layout, 'gatekeeper-coordinator')).last_started_at).toBeDefined();
  }, 60_000);
});
