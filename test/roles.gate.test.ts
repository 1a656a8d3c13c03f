import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { listTasks } from '../src/tasks/list.js';
import { cli } from './helpers/roles.js';
import { tempDir } from './helpers/tmp.js';

// `tickfleet enqueue` is the product manager's (and everyone's) only way into
// the task queue; these are its refusals as an agent meets them.

const PM = { TICKFLEET_AGENT: 'pm', TICKFLEET_RUN_ID: 'run-1' };
const task = (title: string) => [
  'enqueue',
  title,
  '--role',
  'implement',
  '--context',
  'why',
  '--criteria',
  'npm test passes',
];

describe('tickfleet enqueue (built CLI) as an agent', () => {
  it('refuses past max_incoming with one line; --force is refused to agents and allowed to people', async () => {
    const dir = tempDir();
    expect((await cli(['-C', dir, 'init', '-y', '--no-skills', '--no-gitignore'])).code).toBe(0);
    writeFileSync(
      layoutFor(dir).agentsYaml,
      'queue_limits:\n  max_incoming: 2\nagents:\n  - name: pm\n    role: product_manager\n    interval_seconds: 600\n  - name: impl\n    role: implementer\n    paused: true\n',
    );

    for (const t of ['One', 'Two']) expect((await cli(['-C', dir, ...task(t)], PM)).code).toBe(0);
    expect(await cli(['-C', dir, ...task('Three')], PM)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '✗ max_incoming reached: 2/2 tasks in incoming + claimed; add more once some are done\n',
    });
    expect(await cli(['-C', dir, ...task('Three'), '--force'], PM)).toMatchObject({
      code: 2,
      stderr: '✗ --force is for people; agent pm must respect max_incoming\n',
    });
    expect((await cli(['-C', dir, ...task('Three'), '--force'], { USER: 'ada' })).code).toBe(0);

    const { tasks } = await listTasks(layoutFor(dir));
    expect(tasks.map((t) => t.created_by).sort()).toEqual(['ada', 'pm', 'pm']);
  });
});
