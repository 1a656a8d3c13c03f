import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addAgent,
  removeAgent,
  setAgentInterval,
  setAgentPaused,
  setFleetPaused,
  setQueueLimits,
} from '../src/config/edit/edit.js';
import type { EditResult } from '../src/config/edit/editFile.js';
import { ExitError } from '../src/core/errors.js';
import { type Layout, layoutFor } from '../src/core/paths.js';
import { tempDir } from './helpers/tmp.js';

const FIXTURES = path.resolve('test/fixtures/config/edits');
const COMMENTED = readFileSync(path.join(FIXTURES, 'commented.yaml'), 'utf8');

function project(text = COMMENTED): Layout {
  const layout = layoutFor(tempDir());
  mkdirSync(layout.dir, { recursive: true });
  writeFileSync(layout.agentsYaml, text);
  return layout;
}

const current = (layout: Layout) => readFileSync(layout.agentsYaml, 'utf8');
const expected = (name: string) => readFileSync(path.join(FIXTURES, `${name}.expected.yaml`), 'utf8');

async function refusal(edit: Promise<EditResult>): Promise<ExitError> {
  const err = await edit.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExitError);
  return err as ExitError;
}

describe('edits keep comments and layout (compared with expected files)', () => {
  it.each([
    [
      'add',
      (l: Layout) =>
        addAgent(l, { name: 'test-checker', role: 'proposer', focus: 'test_quality', interval_seconds: 86400 }),
      'added agent test-checker (proposer, focus test_quality, every 86400s)',
    ],
    ['pause', (l: Layout) => setAgentPaused(l, 'impl-agent-1', true), 'impl-agent-1: paused false → true'],
    ['pause-review', (l: Layout) => setAgentPaused(l, 'review-agent', true), 'review-agent: paused false → true'],
    ['interval', (l: Layout) => setAgentInterval(l, 'pm-agent', 900), 'pm-agent: interval_seconds 600 → 900'],
    [
      'limits',
      (l: Layout) => setQueueLimits(l, { max_claimed: 8, max_open_prs: 4 }),
      'queue_limits.max_claimed 5 → 8, queue_limits.max_open_prs 10 → 4',
    ],
    ['fleet-pause', (l: Layout) => setFleetPaused(l, true), 'paused false → true'],
    ['remove-first', (l: Layout) => removeAgent(l, 'pm-agent'), 'removed agent pm-agent (product_manager)'],
    ['remove-middle', (l: Layout) => removeAgent(l, 'impl-agent-1'), 'removed agent impl-agent-1 (implementer)'],
    ['remove-last', (l: Layout) => removeAgent(l, 'review-agent'), 'removed agent review-agent (reviewer)'],
  ])('%s', async (name, edit, description) => {
    const layout = project();
    const result = await edit(layout);
    expect(result.changed).toBe(true);
    expect(result.description).toBe(description);
    expect(current(layout)).toBe(expected(name));
  });

  it('every expected file keeps every comment of the original', () => {
    // Guards the fixtures themselves; the removals drop only the comments of the agent removed.
    const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.yaml') && !f.startsWith('remove'))) {
      expect(comments(readFileSync(path.join(FIXTURES, file), 'utf8'))).toEqual(comments(COMMENTED));
    }
  });
});

describe('what the edits report', () => {
  it('says when nothing changes, and writes nothing', async () => {
    const layout = project();
    expect(await setAgentPaused(layout, 'impl-agent-1', false)).toEqual({
      changed: false,
      description: 'impl-agent-1: paused is already false',
      warnings: [],
    });
    expect((await setAgentInterval(layout, 'impl-agent-1', 180)).description).toBe(
      'impl-agent-1: interval_seconds is already 180',
    );
    expect((await setQueueLimits(layout, { max_incoming: 20 })).description).toBe(
      'queue_limits.max_incoming is already 20',
    );
    expect((await setFleetPaused(layout, false)).changed).toBe(false);
    expect(current(layout)).toBe(COMMENTED);
  });

  it('describes a default value that was not written as the default', async () => {
    const layout = project('agents:\n  - name: a\n    role: tester\n');
    expect((await setAgentInterval(layout, 'a', 600)).description).toBe('a: interval_seconds 300 → 600');
    expect((await setQueueLimits(layout, { max_claimed: 2 })).description).toBe('queue_limits.max_claimed 5 → 2');
    expect(current(layout)).toBe(
      'agents:\n  - name: a\n    role: tester\n    interval_seconds: 600\n\nqueue_limits:\n  max_claimed: 2\n',
    );
  });

  it('edits an agent written in flow style in place', async () => {
    const layout = project('agents:\n  - {name: a, role: tester}   # short form\n');
    expect((await setAgentPaused(layout, 'a', true)).description).toBe('a: paused false → true');
    expect((await setAgentInterval(layout, 'a', 120)).description).toBe('a: interval_seconds 300 → 120');
    expect(current(layout)).toBe(
      'agents:\n  - {name: a, role: tester, paused: true, interval_seconds: 120}   # short form\n',
    );
  });

  it('adds an agent without an interval, so the default applies', async () => {
    const layout = project();
    const result = await addAgent(layout, { name: 'impl-agent-2', role: 'implementer', paused: true });
    expect(result.description).toBe('added agent impl-agent-2 (implementer, every 300s, paused)');
    expect(current(layout)).toContain(
      '  - name: impl-agent-2\n    role: implementer\n    paused: true\n\n# Spending caps',
    );
  });

  it('returns the warnings of the file as written', async () => {
    const layout = project();
    const result = await addAgent(layout, { name: 'test-checker', role: 'proposer', focus: 'test_quality' });
    expect(result.warnings.map((w) => `${w.line} ${w.path}: ${w.message}`)).toEqual([
      '28 agents[3].role: a proposer runs only when model is proposal, and model is task: this agent is never started (set model: proposal, or remove the agent)',
    ]);
  });
});

describe('edits that are refused leave the file unchanged', () => {
  it('an unknown agent name lists the known ones', async () => {
    const layout = project();
    const err = await refusal(setAgentPaused(layout, 'nobody', true));
    expect(err.message).toBe(
      'no agent named "nobody" in .orchestrator/agents.yaml; known agents: pm-agent, impl-agent-1, review-agent',
    );
    expect(err.details).toEqual([]);
    expect((await refusal(removeAgent(layout, 'nobody'))).message).toContain(
      'known agents: pm-agent, impl-agent-1, review-agent',
    );
    expect((await refusal(setAgentInterval(project(''), 'a', 60))).message).toBe(
      'no agent named "a" in .orchestrator/agents.yaml; it has no agents',
    );
    expect(current(layout)).toBe(COMMENTED);
  });

  it('a duplicate name', async () => {
    const layout = project();
    const err = await refusal(addAgent(layout, { name: 'pm-agent', role: 'implementer' }));
    expect(err.message).toBe(
      'an agent named "pm-agent" already exists in .orchestrator/agents.yaml (agents[0]); choose another name',
    );
    expect(current(layout)).toBe(COMMENTED);
  });

  it('a result with problems, listing all of them', async () => {
    const layout = project();
    const err = await refusal(setAgentInterval(layout, 'pm-agent', 0));
    expect(err.message).toBe(`${layout.agentsYaml}: not changed: the result would have 1 problem`);
    expect(err.details).toEqual([
      '.orchestrator/agents.yaml:16 agents[0].interval_seconds: must be a positive integer number of seconds, got 0 (example: interval_seconds: 300)',
    ]);
    const bad = await refusal(addAgent(layout, { name: 'Bad Name', role: 'wizard' as never }));
    expect(bad.details).toHaveLength(2);
    expect((await refusal(setQueueLimits(layout, { max_claimed: -1 }))).details).toEqual([
      '.orchestrator/agents.yaml:9 queue_limits.max_claimed: must be a non-negative integer, got -1 (example: max_claimed: 5)',
    ]);
    expect(current(layout)).toBe(COMMENTED);
  });

  it('a file that is not valid YAML', async () => {
    const broken = 'agents:\n  - name: a\n   role: tester\n';
    const layout = project(broken);
    const err = await refusal(setFleetPaused(layout, true));
    expect(err.message).toBe(`${layout.agentsYaml}: not changed: it is not valid YAML (1 problem)`);
    expect(err.details).toEqual(['.orchestrator/agents.yaml:3 not valid YAML: Sequence item without - indicator']);
    expect(current(layout)).toBe(broken);
  });

  it('no limit given', async () => {
    expect((await refusal(setQueueLimits(project(), {}))).message).toBe(
      'no queue limit to change: give max_incoming, max_claimed or max_open_prs',
    );
  });

  it('a missing agents.yaml says to run init', async () => {
    const layout = layoutFor(tempDir());
    expect((await refusal(setFleetPaused(layout, true))).message).toBe(
      `${layout.agentsYaml} not found: run \`tickfleet init\` in ${layout.root} first`,
    );
    expect(existsSync(layout.dir)).toBe(false);
  });
});

describe('concurrent edits', () => {
  it('serialise, so none is lost', async () => {
    const layout = project();
    await Promise.all([
      setAgentPaused(layout, 'pm-agent', true),
      setAgentInterval(layout, 'impl-agent-1', 240),
      setQueueLimits(layout, { max_incoming: 30 }),
      addAgent(layout, { name: 'impl-agent-2', role: 'implementer' }),
      setFleetPaused(layout, true),
    ]);
    const text = current(layout);
    expect(text).toContain('    interval_seconds: 600     # every ten minutes\n    paused: true\n');
    expect(text).toContain('    interval_seconds: 240\n');
    expect(text).toContain('  max_incoming: 30   # tasks are created');
    expect(text).toContain('  - name: impl-agent-2\n');
    expect(text).toContain('\npaused: true\n');
  });
});
