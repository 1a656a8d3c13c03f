import { describe, expect, it } from 'vitest';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { tickRun } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git } from './helpers/tmp.js';

describe('tester, end to end through the real client', () => {
  it('claims a test task, commits a test, and its branch follows the implementer path (local review)', async () => {
    const api = await scriptedApi(
      implementerScenario({
        file: () => 'test/greet.test.js',
        content: (t) =>
          `// ${t.id}: ${t.title}\nimport { greet } from '../src/greet.js';\nif (greet('Ada') !== 'Hello, Ada') throw new Error('greet');\n`,
      }),
    );
    const layout = await fleetProject(
      `${claudeBlock(api)}\nagents:\n  - name: tester-1\n    role: tester\n    interval_seconds: 60\n`,
      {
        'README.md': '# greeter\n',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
        'src/greet.js': 'export const greet = (n) => `Hello, ${n}`;\n',
      },
    );
    const task = await enqueueTask(layout, {
      title: 'Cover greet()',
      role: 'test',
      created_by: 'pm',
      context: 'src/greet.js has no test.',
      acceptance: ['a test calls greet'],
    });

    const { state } = await tickRun(layout, 'tester-1');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'success', task_id: task.id });
    // Its instructions are the tester's prompt, with the task.
    expect(api.conversation()[0]!.firstUserText).toContain('You own the tests for one task');

    const done = await findTask(layout, task.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ branch: `agent/${task.id}`, review: `REV-${task.id}`, commits: 1 });
    expect(git(layout.root, 'log', '--format=%an|%s', '-1', `agent/${task.id}`)).toBe(
      `tester-1|${task.id}: Cover greet()`,
    );
    expect(git(layout.root, 'show', '--name-only', '--format=', `agent/${task.id}`)).toBe('test/greet.test.js');
  });
});
