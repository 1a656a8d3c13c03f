import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { runTick } from '../src/scheduler/tick.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { cli } from './helpers/cli.js';
import { allLogs, fleetProject, waitFor } from './helpers/fleet.js';

const AGENTS_YAML =
  'review:\n  backend: local\ncommands:\n  allow: ["cat README.md"]\nagents:\n  - name: impl-1\n    role: implementer\n';

const PLAN = [
  '# Plan: Read Tools',
  'policy: no_refactor=true',
  '',
  'Prose between the jobs is ignored.',
  '',
  '- [ ] id=look lane=1 payload=@cmd:cat README.md',
  '- [ ] id=build lane=2 deps=look payload=@doc:LLM_TASK implement the read tools',
  '- [ ] id=ref lane=1 payload=@gh:owner/repo#42',
  '',
].join('\n');

async function status(layout: Layout) {
  const r = await cli(['--project', layout.root, 'plan', 'status', 'read-tools', '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('plan status', () => {
  it("shows each job's lifecycle, what blocks it and the tasks split from it, as JSON and as text", async () => {
    const layout = await fleetProject(AGENTS_YAML, { 'README.md': '# app\n' });
    writeFileSync(path.join(layout.root, 'plan.md'), PLAN);
    const imported = await cli([
      '--project',
      layout.root,
      'plan',
      'import',
      path.join(layout.root, 'plan.md'),
      '--json',
    ]);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({ plan: 'read-tools', counts: { added: 2, not_queued: 1 }, removed: [] });
    const look = report.jobs[0].task as string;
    const build = report.jobs[1].task as string;

    expect(await status(layout)).toEqual({
      plan: 'read-tools',
      name: 'Read Tools',
      file: 'plan.md',
      imported_at: expect.any(String),
      counts: { queued: 2, not_queued: 1 },
      jobs: [
        {
          job: 'look',
          id: 'read-tools::look',
          line: 6,
          lane: '1',
          kind: 'command',
          role: 'command',
          title: 'run `cat README.md`',
          deps: [],
          task: look,
          lifecycle: 'queued',
          blocked_by: [],
          children: [],
        },
        {
          job: 'build',
          id: 'read-tools::build',
          line: 7,
          lane: '2',
          kind: 'task',
          role: 'implement',
          title: 'implement the read tools',
          deps: ['look'],
          task: build,
          lifecycle: 'queued',
          blocked_by: [{ job: 'look', task: look, lifecycle: 'queued' }],
          children: [],
        },
        {
          job: 'ref',
          id: 'read-tools::ref',
          line: 8,
          lane: '1',
          kind: 'metadata',
          title: 'owner/repo#42',
          deps: [],
          lifecycle: 'not_queued',
          blocked_by: [],
          children: [],
        },
      ],
    });

    // The command job runs through a real tick; its dependent is then free.
    const ticked = await runTick(layout, { spawner: async () => ({ pid: 1 }) });
    expect(ticked.ran).toBe(true);
    await waitFor(`${look} in done/\n${allLogs(layout)}`, async () => (await findTask(layout, look)).state === 'done');
    const child = await enqueueTask(layout, {
      title: 'the first half',
      role: 'implement',
      created_by: 'impl-1',
      parent: build,
    });
    const after = await status(layout);
    expect(after.counts).toEqual({ queued: 1, finished: 1, not_queued: 1 });
    expect(after.jobs[0]).toMatchObject({ lifecycle: 'finished' });
    expect(after.jobs[1]).toMatchObject({
      lifecycle: 'queued',
      blocked_by: [],
      children: [{ task: child.id, title: 'the first half', lifecycle: 'queued', children: [] }],
    });

    const text = await cli(['--project', layout.root, 'plan', 'status', 'Read Tools']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('plan read-tools "Read Tools" (plan.md');
    expect(text.stdout).toMatch(new RegExp(`look\\s+lane 1\\s+command\\s+${look} finished`));
    expect(text.stdout).toContain(`└ ${child.id} queued: the first half`);

    const unknown = await cli(['--project', layout.root, 'plan', 'status', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no plan "nope" (plans: read-tools)');
  });
});
