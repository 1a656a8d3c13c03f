import { describe, expect, it } from 'vitest';
import { script, text } from '../src/scripted-api/dsl.js';
import { listTasks } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { bash, tickRun, toolResults } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';

describe('product manager, end to end through the real client', () => {
  it('creates tasks with `tickfleet enqueue` until max_incoming refuses, and reports what it created', async () => {
    const api = await scriptedApi(
      script(
        bash(
          `tickfleet enqueue 'Reject an empty name in greet()' --role implement --priority P1 --context 'src/greet.js prints "Hello, " for ""' --criteria 'greet("") throws'`,
        ),
        bash(
          `tickfleet enqueue 'Cover greet() edge cases' --role test --context 'src/greet.js has no test' --criteria 'a test covers "" and a long name'`,
        ),
        bash(
          `tickfleet enqueue 'One task too many' --role implement --context 'the queue is full by now' --criteria 'never created'`,
        ),
        // Outside its allowed tools: the client refuses, nothing runs.
        bash('touch notes.txt'),
        text('Created two tasks; the queue refused the third.'),
      ),
    );
    const layout = await fleetProject(
      `${claudeBlock(api)}\nqueue_limits:\n  max_incoming: 2\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 60\n  - name: impl\n    role: implementer\n    paused: true\n  - name: tester\n    role: tester\n    paused: true\n`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
      { 'README.md': '# greeter\n', 'src/greet.js': 'export const greet = (n) => `Hello, ${n}`;\n' },
    );

    const { state, record } = await tickRun(layout, 'pm');
    expect(state.last_outcome?.kind, allLogs(layout)).toBe('success');

    // Its instructions said how much room the queue had.
    const convo = api.conversation();
    expect(convo[0]!.firstUserText).toContain(
      '0 tasks are open (incoming + claimed) of max_incoming 2, so at most 2 more fit',
    );

    const results = toolResults(layout, 'pm', record.run_id);
    expect(results[0]).toMatchObject({
      isError: false,
      content: expect.stringMatching(
        /^TASK-[0-9a-f]{8} created in incoming\/ \(implement, P1\): Reject an empty name in greet\(\)/,
      ),
    });
    expect(results[1]).toMatchObject({ isError: false });
    expect(results[2]).toMatchObject({
      isError: true,
      content: expect.stringContaining(
        'max_incoming reached: 2/2 tasks in incoming + claimed; add more once some are done',
      ),
    });
    expect(results[3]!.isError).toBe(true);

    const { tasks } = await listTasks(layout);
    expect(tasks.map((t) => [t.title, t.role, t.created_by]).sort()).toEqual([
      ['Cover greet() edge cases', 'test', 'pm'],
      ['Reject an empty name in greet()', 'implement', 'pm'],
    ]);
    // In creation order, which two enqueues in different seconds do not share with id order: compare as sets.
    expect(Object.keys(record.result ?? {})).toEqual(['tasks']);
    expect([...((record.result?.tasks ?? []) as string[])].sort()).toEqual(tasks.map((t) => t.id).sort());
    expect(record.reason).toMatch(/created 2 tasks: /);
  });
});
