import { describe, expect, it } from 'vitest';
import { tasksFilter } from '../src/cli/commands/taskList.js';
import { FakeClock } from '../src/core/clock.js';
import { ExitError } from '../src/core/errors.js';
import { buildInstructions } from '../src/runner/instructions.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { addFeedback } from '../src/tasks/feedback.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { addTask, tempLayout } from './fixtures/tasks/project.js';
import { configFrom } from './helpers/config.js';

describe('listTasks with a filter', () => {
  it('combines state, lifecycle, role, plan, creator, parent and age, oldest first', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T00:00:00Z');
    const old = await addTask(layout, clock, { title: 'old', created_by: 'pm', plan: 'P1' });
    clock.set('2026-03-05T00:00:00Z');
    const test = await addTask(layout, clock, { title: 'test', role: 'test', created_by: 'alice' });
    clock.set('2026-03-06T00:00:00Z');
    const child = await addTask(layout, clock, { title: 'child', created_by: 'pm', parent: old.id, plan: 'P1' });
    const claim = await claimTask(layout, old.id, { holder: 'impl-1', leaseSeconds: 60, clock });
    if (!claim.ok) throw new Error(claim.reason);
    await completeTask(layout, old.id, claim.token, { result: {}, stage: 'merged', clock });

    const ids = async (filter: Parameters<typeof listTasks>[1]) =>
      (await listTasks(layout, filter)).tasks.map((t) => t.id);
    expect(await ids({})).toEqual([old.id, test.id, child.id]);
    expect(await ids({ states: ['incoming'] })).toEqual([test.id, child.id]);
    expect(await ids({ lifecycles: ['merged'] })).toEqual([old.id]);
    expect(await ids({ roles: ['test'] })).toEqual([test.id]);
    expect(await ids({ plan: 'P1', creator: 'pm' })).toEqual([old.id, child.id]);
    expect(await ids({ parent: old.id })).toEqual([child.id]);
    expect(await ids({ since: '2026-03-05T00:00:00Z' })).toEqual([test.id, child.id]);
    expect(await ids({ olderThan: '2026-03-05T00:00:00Z' })).toEqual([old.id]);
  });

  it('reads ages and refuses unknown states and lifecycles from the command line', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    expect(tasksFilter({ since: '2d', lifecycle: 'in review,merged', role: 'implement,test' }, now)).toEqual({
      since: '2026-03-08T00:00:00.000Z',
      lifecycles: ['in_review', 'merged'],
      roles: ['implement', 'test'],
    });
    expect(() => tasksFilter({ state: 'doing' }, now)).toThrow('--state: doing is not a queue folder');
    expect(() => tasksFilter({ lifecycle: 'stuck' }, now)).toThrow('--lifecycle: stuck is not a lifecycle');
    expect(() => tasksFilter({ olderThan: 'soon' }, now)).toThrow('--older-than: expected a date');
  });
});

describe('addFeedback', () => {
  it('keeps each entry with its time and author under one ## Feedback section, in any folder', async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const task = await addTask(layout, clock, { body: '\n## Context\nDo it.\n\n## Handoff\nearlier notes\n' });
    await addFeedback(layout, task.id, 'Use the new parser.', 'alice', { clock });
    clock.set('2026-03-01T11:00:00Z');
    await addFeedback(layout, task.id, 'And keep the old flag\nworking.', 'bob', { clock });
    const body = (await findTask(layout, task.id)).body;
    expect(body).toBe(
      '\n## Context\nDo it.\n\n## Handoff\nearlier notes\n\n## Feedback\n- 2026-03-01T10:00:00Z alice: Use the new parser.\n- 2026-03-01T11:00:00Z bob: And keep the old flag\n  working.\n',
    );
  });

  it("is in the next attempt's instructions", async () => {
    const layout = tempLayout();
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const task = await addTask(layout, clock, { context: 'Add a parser.' });
    await addFeedback(layout, task.id, 'Reuse src/lex.js instead of a new lexer.', 'alice', { clock });
    const agent = configFrom('agents:\n  - name: impl-1\n    role: implementer\n').agents[0]!;
    const text = await buildInstructions({
      layout,
      agent,
      runId: 'run-1',
      worktree: layout.root,
      baseBranch: 'main',
      ports: { slot: 0, dev: 1, mcp: 2, playwright: 3 },
      rolePrompt: 'Implement it.',
      task: await findTask(layout, task.id),
    });
    expect(text).toContain('## Feedback\n- 2026-03-01T10:00:00Z alice: Reuse src/lex.js instead of a new lexer.');
  });

  it('refuses empty feedback and an unknown id with one line', async () => {
    const layout = tempLayout();
    const task = await addTask(layout, new FakeClock());
    await expect(addFeedback(layout, task.id, '  ', 'alice')).rejects.toThrow(ExitError);
    await expect(addFeedback(layout, 'TASK-00000000', 'x', 'alice')).rejects.toThrow(/TASK-00000000 not found/);
  });
});
