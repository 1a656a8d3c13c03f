import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate/validate.js';
import { FakeClock } from '../src/core/clock.js';
import { claimNext } from '../src/tasks/claim.js';
import { claimableSummary, claimPool } from '../src/tasks/claimable.js';
import { addTask, tempLayout } from './fixtures/tasks/project.js';

const claim = (layout: ReturnType<typeof tempLayout>, clock: FakeClock, lanes?: string[]) =>
  claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock, ...(lanes ? { lanes } : {}) });

async function queue() {
  const layout = tempLayout();
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const plain = await addTask(layout, clock, { title: 'no lane' });
  clock.advance(1000);
  const web = await addTask(layout, clock, { title: 'web', lane: 'web' });
  clock.advance(1000);
  const api = await addTask(layout, clock, { title: 'api', lane: 'api' });
  clock.advance(1000);
  const api2 = await addTask(layout, clock, { title: 'api again', lane: 'api', role: 'test' });
  return { layout, clock, plain, web, api, api2 };
}

describe('lanes in the claim', () => {
  it('an agent with lanes claims only tasks of its lanes, in claim order, and says why when none is left', async () => {
    const { layout, clock, api } = await queue();
    const r = await claim(layout, clock, ['api', 'db']);
    expect(r.ok && r.task.id).toBe(api.id);
    const none = await claim(layout, clock, ['api', 'db']);
    expect(none.ok).toBe(false);
    if (!none.ok)
      expect(none.reason).toBe(
        'no claimable task for role implement in lanes api, db (none in incoming; 2 in other lanes)',
      );
  });

  it('an agent without lanes claims any task of its role, lane or not', async () => {
    const { layout, clock, plain, web, api } = await queue();
    const ids: string[] = [];
    for (let r = await claim(layout, clock); r.ok; r = await claim(layout, clock)) ids.push(r.task.id);
    expect(ids).toEqual([plain.id, web.id, api.id]);
  });

  it("the tick's planning counts per role and lanes, and says why a lane has no work", async () => {
    const { layout, clock } = await queue();
    const summary = claimableSummary(layout, {
      clock,
      wanted: { implement: 5, [claimPool('implement', ['web'])]: 5, [claimPool('implement', ['ops'])]: 1 },
    });
    expect(summary.claimable).toEqual({ implement: 3, 'implement@web': 1, 'implement@ops': 0 });
    expect(summary.waiting).toEqual({
      'implement@ops': 'no claimable task for role implement in lane ops (none in incoming; 3 in other lanes)',
    });
  });
});

describe('agents[].lanes in agents.yaml', () => {
  const yaml = (lanes: string) => `agents:\n  - name: impl-1\n    role: implementer\n    lanes: ${lanes}\n`;

  it('takes names and numbers, read as their digits', () => {
    const r = validateConfig(yaml('[api, 2]'), 'agents.yaml');
    expect(r.problems).toEqual([]);
    expect(r.config?.agents[0]?.lanes).toEqual(['api', '2']);
  });

  it('refuses an empty list and a name that is not one, with the line', () => {
    expect(validateConfig(yaml('[]'), 'agents.yaml').problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      '4 agents[0].lanes',
    ]);
    expect(validateConfig(yaml('["a b"]'), 'agents.yaml').problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      '4 agents[0].lanes[0]',
    ]);
  });

  it('warns that lanes do nothing for an agent that claims no tasks', () => {
    const r = validateConfig(
      'model: proposal\nagents:\n  - name: c\n    role: curator\n    lanes: [api]\n',
      'agents.yaml',
    );
    expect(r.warnings.map((w) => w.message)).toContain(
      'a curator claims no tasks, so lanes do not apply: remove the key',
    );
  });
});
