import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, validateConfig } from '../src/config/validate/validate.js';
import type { Layout } from '../src/core/paths.js';
import { processStartTime, UNKNOWN_START } from '../src/core/processInfo.js';
import { enqueue } from '../src/roles/enqueue.js';
import { commandLogFile, commandTaskDir } from '../src/runner/commandTask.js';
import type { CommandTaskStarter } from '../src/scheduler/commandStep.js';
import { runTick } from '../src/scheduler/tick.js';
import { claimNext } from '../src/tasks/claim.js';
import { taskLifecycle } from '../src/tasks/lifecycle.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import type { Task } from '../src/tasks/task.js';
import { cli } from './helpers/cli.js';
import { allLogs, fleetProject, waitFor } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

const PERSON = { name: 'alice', isAgent: false };

function agentsYaml(extra = ''): string {
  return [
    'review:',
    '  backend: local',
    'commands:',
    '  allow: ["cat README.md", "./check.sh"]',
    extra,
    'agents:',
    '  - name: impl-1',
    '    role: implementer',
    '',
  ].join('\n');
}

const FILES = {
  'README.md': '# app\nthe base as committed\n',
  'check.sh': '#!/bin/sh\necho "checking $1"\necho "3 problems found" >&2\nexit 3\n',
};

async function project(extra = ''): Promise<Layout> {
  const layout = await fleetProject(agentsYaml(extra), FILES);
  git(layout.root, 'update-index', '--chmod=+x', 'check.sh');
  git(layout.root, 'commit', '-q', '-m', 'executable check');
  return layout;
}

async function tick(layout: Layout, start?: CommandTaskStarter): Promise<void> {
  const report = await runTick(layout, {
    spawner: async () => ({ pid: 1 }),
    ...(start ? { startCommandTask: start } : {}),
  });
  if (!report.ran) throw new Error(report.reason);
}

const leftClaimed = (layout: Layout, id: string) =>
  waitFor(`${id} to leave claimed/\n${allLogs(layout)}`, async () => {
    const t = await findTask(layout, id);
    return t.state === 'claimed' ? undefined : t;
  });

describe('command tasks', () => {
  it('run through a real tick in a worktree of the base, with no model, and land in done/ with their output', async () => {
    const layout = await project();
    // Uncommitted in the main work tree: the command must see the base as committed, not this.
    writeFileSync(path.join(layout.root, 'README.md'), 'edited, not committed\n');
    const queued = await enqueue(layout, PERSON, {
      title: 'show the readme',
      role: 'command',
      command: 'cat README.md',
    });
    expect(queued).toMatchObject({ role: 'command', command: 'cat README.md', state: 'incoming' });

    await tick(layout);
    const done = await leftClaimed(layout, queued.id);
    expect(done.state).toBe('done');
    expect(taskLifecycle(done)).toBe('finished');
    expect(done.stage).toBeUndefined();
    expect(done.result).toMatchObject({ exit_code: 0, cost_usd: 0 });
    expect(done.body).toContain('## Command output\n`cat README.md` exited 0');
    expect(done.body).toContain('the base as committed');
    expect(readFileSync(commandLogFile(layout, queued.id), 'utf8')).toContain('the base as committed');
    // No agent ran (no run in the ledger), and the worktree is gone.
    expect(existsSync(layout.runs) ? readdirSync(layout.runs) : []).toEqual([]);
    expect(existsSync(path.join(commandTaskDir(layout, queued.id), 'worktree'))).toBe(false);
    expect(git(layout.root, 'worktree', 'list')).not.toContain('command-tasks');
  });

  it('fail on a non-zero exit, with the output kept, under the retry rules of every task', async () => {
    const layout = await project('tasks:\n  max_attempts: 2\n  retry_backoff_seconds: 0');
    const queued = await enqueue(layout, PERSON, { title: 'check it', role: 'command', command: './check.sh all' });
    await tick(layout);
    const retried = await leftClaimed(layout, queued.id);
    expect(retried).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(retried.error).toMatch(/^`\.\/check\.sh all` failed \(exit 3\)/);
    expect(retried.body).toContain('checking all');
    expect(retried.body).toContain('3 problems found');

    await tick(layout);
    const failed = await leftClaimed(layout, queued.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 2 });
    expect(taskLifecycle(failed)).toBe('failed');
    // One output section, the last attempt's.
    expect(failed.body.match(/## Command output/g)).toHaveLength(1);
    expect(failed.body).toContain('attempt 2');
  });

  it('are refused at enqueue when not on commands.allow, and never forced', async () => {
    const layout = await project();
    for (const command of ['rm -rf build', 'cat README.md; rm -rf /', 'cat README.md $(id)']) {
      await expect(enqueue(layout, PERSON, { title: 'x', role: 'command', command, force: true })).rejects.toThrow(
        /is not an allowed command: commands\.allow in agents\.yaml has "cat README\.md", "\.\/check\.sh"/,
      );
    }
    const byCli = await cli(['--project', layout.root, 'enqueue', 'x', '--command', 'rm -rf build']);
    expect(byCli.code).toBe(1);
    expect(byCli.stderr).toContain('`rm -rf build` is not an allowed command');
    const ok = await cli([
      '--project',
      layout.root,
      'enqueue',
      'y',
      '--command',
      'cat README.md',
      '--lane',
      '3',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      role: 'command',
      command: 'cat README.md',
      lane: '3',
      lifecycle: 'queued',
    });
    expect((await listTasks(layout)).tasks).toHaveLength(1);
  });

  it('are never claimed by an agent, and agents.yaml cannot give an agent their role', async () => {
    const layout = await project();
    await enqueue(layout, PERSON, { title: 'show', role: 'command', command: 'cat README.md' });
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 60 });
    expect(claim.ok).toBe(false);
    const checked = validateConfig(
      'agents:\n  - name: a\n    role: implementer\n    task_role: command\n',
      'agents.yaml',
    );
    expect(checked.problems.map((p) => formatProblem(p, 'agents.yaml'))).toEqual([
      'agents.yaml:4 agents[0].task_role: "command" is reserved for command tasks, which tickfleet runs itself (commands.allow); choose another task role (example: task_role: implement)',
    ]);
  });

  it('are requeued by reconcile when the process running them dies', async () => {
    const layout = await project();
    const queued = await enqueue(layout, PERSON, { title: 'show', role: 'command', command: 'cat README.md' });
    // A real process stands in for the command task's: it holds the lease, then is killed.
    let victim: ReturnType<typeof spawn> | undefined;
    let starts = 0;
    const start: CommandTaskStarter = async () => {
      starts += 1;
      victim = spawn('sleep', ['60'], { stdio: 'ignore' });
      await new Promise((r) => victim!.once('spawn', r));
      return { pid: victim.pid!, start: (await processStartTime(victim.pid!)) ?? UNKNOWN_START };
    };
    await tick(layout, start);
    const held: Task = await findTask(layout, queued.id);
    expect(held).toMatchObject({ state: 'claimed', lease: { holder: 'tickfleet', pid: victim!.pid } });
    const exited = new Promise((r) => victim!.once('exit', r));
    victim!.kill('SIGKILL');
    await exited;

    await tick(layout, start);
    const requeued = await findTask(layout, queued.id);
    // Back in incoming with the attempt charged; the retry backoff keeps it there for this tick.
    expect(requeued).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(starts).toBe(1);
    expect(requeued.error).toMatch(/^runner tickfleet \(pid \d+\) is no longer running/);
  });
});
