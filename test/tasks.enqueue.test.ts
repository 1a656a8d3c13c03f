import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import type { TaskInput } from '../src/tasks/task.js';
import { namesIn, readRaw, tempLayout } from './fixtures/tasks/project.js';

const base: TaskInput = { title: 'Add input validation', role: 'implement', created_by: 'pm-agent' };

describe('enqueueTask', () => {
  it('writes a canonical task to incoming/', async () => {
    const layout = tempLayout();
    const t = await enqueueTask(
      layout,
      {
        ...base,
        priority: 'P1',
        branch: 'main',
        context: 'Users can submit empty forms.',
        acceptance: ['empty form is refused', 'tests pass'],
      },
      { clock: new FakeClock('2024-01-15T10:30:00Z') },
    );
    expect(t.id).toMatch(/^TASK-[0-9a-f]{8}$/);
    expect(namesIn(layout, 'incoming')).toEqual([`${t.id}.md`]);
    expect(readRaw(t.file)).toBe(
      `---\nid: ${t.id}\ntitle: Add input validation\nrole: implement\npriority: P1\nbranch: main\ncreated: 2024-01-15T10:30:00Z\ncreated_by: pm-agent\n` +
        'blocked_by: []\nexpedite: false\nattempts: 0\nmax_attempts: 3\nlease: null\nresult: null\nerror: null\n---\n' +
        '\n## Context\nUsers can submit empty forms.\n\n## Acceptance Criteria\n- [ ] empty form is refused\n- [ ] tests pass\n',
    );
  });

  const bad: [string, Partial<TaskInput>, string][] = [
    ['empty title', { title: '  ' }, 'task title is empty; give a one-line title'],
    ['two-line title', { title: 'a\nb' }, 'task title must be one line, got "a\\nb"'],
    [
      'role with spaces',
      { role: 'do stuff' },
      'task role must be one word such as implement, test or review, got "do stuff"',
    ],
    ['empty role', { role: '' }, 'task role must be one word such as implement, test or review, got ""'],
    ['bad priority', { priority: 'P5' as 'P0' }, 'task priority must be one of P0, P1, P2, P3, got "P5"'],
    ['no creator', { created_by: '' }, 'task created_by is empty; name the agent or person creating it'],
    ['branch with a space', { branch: 'my branch' }, 'task branch must be a branch name such as main, got "my branch"'],
    ['bad max_attempts', { max_attempts: 0 }, 'task max_attempts must be a whole number >= 1, got 0'],
    [
      'path in blocked_by',
      { blocked_by: ['../x'] },
      'task blocked_by: "../x" is not a task id (for example TASK-a1b2c3d4)',
    ],
  ];
  it.each(bad)('refuses %s with a one-line message', async (_name, change, message) => {
    const layout = tempLayout();
    await expect(enqueueTask(layout, { ...base, ...change })).rejects.toThrow(message);
    expect(namesIn(layout, 'incoming')).toEqual([]);
  });

  it('applies max_incoming backpressure (incoming + claimed)', async () => {
    const layout = tempLayout();
    await enqueueTask(layout, base, { limits: { maxIncoming: 2 } });
    await enqueueTask(layout, base, { limits: { maxIncoming: 2 } });
    await expect(enqueueTask(layout, base, { limits: { maxIncoming: 2 } })).rejects.toThrow(
      'max_incoming reached: 2/2 tasks in incoming + claimed; add more once some are done',
    );
  });

  it('keeps a given body as written', async () => {
    const layout = tempLayout();
    const body = '\n## Context\nsee `docs/plan.md` — step 3\n';
    const t = await enqueueTask(layout, { ...base, body });
    expect(t.body).toBe(body);
    expect(readRaw(t.file).endsWith(`---\n${body}`)).toBe(true);
  });
});
