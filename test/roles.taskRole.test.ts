import { describe, expect, it } from 'vitest';
import { enqueue } from '../src/roles/enqueue.js';
import { listTasks } from '../src/tasks/list.js';
import { cli } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';

const FLEET = `agents:
  - name: pm
    role: product_manager
  - name: impl-1
    role: implementer
  - name: web
    role: implementer
    task_role: frontend
  - name: review-1
    role: reviewer
    paused: true
`;

const ROLES = 'roles agents claim: frontend, implement, review';

describe('enqueue refuses a role no agent claims', () => {
  it('a person gets one line with the closest claimed role and the list, and --force queues it anyway', async () => {
    const layout = await fleetProject(FLEET);
    const typo = await cli(['-C', layout.root, 'enqueue', 'Add a cache', '--role', 'implment']);
    expect(typo).toEqual({
      code: 1,
      stdout: '',
      stderr: `✗ no agent in agents.yaml claims "implment" tasks (did you mean implement?); ${ROLES}; --force queues it anyway\n`,
    });
    // The agent role for the task role: the same suggestion.
    expect((await cli(['-C', layout.root, 'enqueue', 'Add a cache', '--role', 'implementer'])).stderr).toContain(
      '(did you mean implement?)',
    );
    // Nothing close: just the list.
    expect((await cli(['-C', layout.root, 'enqueue', 'Add a cache', '--role', 'docs'])).stderr).toBe(
      `✗ no agent in agents.yaml claims "docs" tasks; ${ROLES}; --force queues it anyway\n`,
    );
    expect((await listTasks(layout)).tasks).toEqual([]);

    const forced = await cli(['-C', layout.root, 'enqueue', 'Write the docs', '--role', 'docs', '--force']);
    expect(forced).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^TASK-[0-9a-f]{8} created in incoming\/ \(docs, P2\): Write the docs\n$/),
    });
  });

  it('roles claimed by task_role and by paused agents are accepted', async () => {
    const layout = await fleetProject(FLEET);
    for (const role of ['implement', 'frontend', 'review'])
      expect((await cli(['-C', layout.root, 'enqueue', `A ${role} task`, '--role', role])).code).toBe(0);
    expect((await listTasks(layout)).tasks.map((t) => t.role).sort()).toEqual(['frontend', 'implement', 'review']);
  });

  it('an agent, through the CLI or the library, is refused the same way and offered no --force', async () => {
    const layout = await fleetProject(FLEET);
    const asPm = await cli(['-C', layout.root, 'enqueue', 'Cover the parser', '--role', 'test'], {
      TICKFLEET_AGENT: 'pm',
      TICKFLEET_RUN_ID: 'run-1',
    });
    expect(asPm).toEqual({ code: 1, stdout: '', stderr: `✗ no agent in agents.yaml claims "test" tasks; ${ROLES}\n` });
    await expect(
      enqueue(layout, { name: 'pm', isAgent: true }, { title: 'Cover the parser', role: 'tset' }),
    ).rejects.toThrow(/^no agent in agents\.yaml claims "tset" tasks; roles agents claim/);
    const ok = await cli(['-C', layout.root, 'enqueue', 'Fix the parser', '--role', 'implement'], {
      TICKFLEET_AGENT: 'pm',
      TICKFLEET_RUN_ID: 'run-1',
    });
    expect(ok.code).toBe(0);
  });

  it('a fleet without agents says how to add one', async () => {
    const layout = await fleetProject('agents: []\n');
    expect((await cli(['-C', layout.root, 'enqueue', 'Anything', '--role', 'implement'])).stderr).toBe(
      '✗ no agent in agents.yaml claims "implement" tasks; no agent claims any task yet (add one with `tickfleet add-agent`); --force queues it anyway\n',
    );
  });
});
