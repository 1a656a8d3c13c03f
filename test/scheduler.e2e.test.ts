import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAgentState } from '../src/agents/state.js';
import { localDay } from '../src/core/clock.js';
import { readFleetState } from '../src/fleet/pause.js';
import { readLedgerDay } from '../src/ledger/ledger.js';
import { listMessages } from '../src/messages/list.js';
import { runTick } from '../src/scheduler/tick.js';
import { rateLimited, script } from '../src/scripted-api/dsl.js';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject, runEnded } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git, tempDir } from './helpers/tmp.js';

const FAKE_GH_DIR = path.resolve(import.meta.dirname, 'fixtures/fake-gh');

const agents = (extra = '') => `agents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n${extra}`;

async function oneTask(layout: Parameters<typeof enqueueTask>[0], title = 'Add a greeting') {
  return enqueueTask(layout, {
    title,
    role: 'implement',
    created_by: 'test',
    context: 'Say hello.',
    acceptance: ['a file says hello'],
  });
}

async function tickAndWait(layout: Parameters<typeof runTick>[0]) {
  const report = await runTick(layout);
  if (!report.ran) throw new Error(report.reason);
  expect(report.started, `nothing started: ${JSON.stringify(report.plan.decisions)}`).toHaveLength(1);
  const state = await runEnded(layout, 'impl-1');
  return { report, state };
}

describe('a tick runs the implementer end to end with the real client', () => {
  const saved = { PATH: process.env.PATH, FAKE_GH_LOG: process.env.FAKE_GH_LOG };
  beforeEach(() => {
    process.env.PATH = `${FAKE_GH_DIR}${path.delimiter}${saved.PATH}`;
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.FAKE_GH_LOG === undefined) delete process.env.FAKE_GH_LOG;
    else process.env.FAKE_GH_LOG = saved.FAKE_GH_LOG;
  });

  it('claims, commits, pushes agent/<task>, opens a PR with gh and records the cost', async () => {
    const api = await scriptedApi(implementerScenario());
    const layout = await fleetProject(`${claudeBlock(api)}\nreview:\n  backend: github\n${agents()}`);
    const origin = tempDir('tickfleet-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(layout.root, 'remote', 'add', 'origin', origin);
    git(layout.root, 'push', '-q', 'origin', 'main');
    const ghLog = path.join(tempDir(), 'gh.jsonl');
    process.env.FAKE_GH_LOG = ghLog;
    const task = await oneTask(layout);

    const { state } = await tickAndWait(layout);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'success', task_id: task.id });

    const done = await findTask(layout, task.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({
      branch: `agent/${task.id}`,
      pr: 'https://github.com/acme/widgets/pull/1',
      base: 'main',
      commits: 1,
    });
    expect(done.body).toContain('## Handoff');

    // The agent's commit, under its own identity, is on the remote branch.
    const log = git(origin, 'log', '--format=%an|%s', `agent/${task.id}`, '-1');
    expect(log).toBe(`impl-1|${task.id}: Add a greeting`);

    const calls = readFileSync(ghLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; stdin: string | null });
    const create = calls.find((c) => c.argv[0] === 'pr' && c.argv[1] === 'create');
    expect(create?.argv).toEqual(
      expect.arrayContaining(['--base', 'main', '--head', `agent/${task.id}`, '--title', `${task.id}: Add a greeting`]),
    );
    expect(create?.stdin).toContain(`Task: ${task.id}`);

    const [record] = await readLedgerDay(layout, localDay(new Date()));
    expect(record).toMatchObject({ agent: 'impl-1', role: 'implementer', task_id: task.id, outcome: 'success' });
    expect(record!.cost_usd).toBeGreaterThan(0);
    expect(done.result?.cost_usd).toBe(Math.round(record!.cost_usd * 10_000) / 10_000);
    expect(record!.turns).toBe(3);
    // Delivered work leaves no worktree behind; the transcript stays.
    expect(existsSync(path.join(layout.agents, 'impl-1', 'worktrees', task.id))).toBe(false);
    expect(existsSync(path.join(layout.agents, 'impl-1', 'transcripts', `${state.last_outcome!.run_id}.jsonl`))).toBe(
      true,
    );
  });

  it('without a remote, queues the branch for local review', async () => {
    const api = await scriptedApi(implementerScenario());
    const layout = await fleetProject(`${claudeBlock(api)}\n${agents()}`);
    const task = await oneTask(layout);
    const statusBefore = git(layout.root, 'status', '--porcelain');
    await tickAndWait(layout);
    const done = await findTask(layout, task.id);
    expect(done.state, allLogs(layout)).toBe('done');
    expect(done.result).toMatchObject({ branch: `agent/${task.id}`, review: `REV-${task.id}` });
    // The model's last words are the handoff.
    expect(done.body).toContain(
      `## Handoff\nImplemented ${task.id} (Add a greeting): wrote changes/${task.id}.md and committed it.`,
    );
    expect(git(layout.root, 'log', '--format=%s', '-1', `agent/${task.id}`)).toBe(`${task.id}: Add a greeting`);
    // The user's main branch and working copy are untouched until someone approves.
    expect(git(layout.root, 'log', '--format=%s', '-1', 'main')).toBe('initial');
    expect(git(layout.root, 'status', '--porcelain')).toBe(statusBefore);
  });

  it('works as root with bypassPermissions (IS_SANDBOX is set for the client)', async () => {
    const api = await scriptedApi(implementerScenario());
    const layout = await fleetProject(`${claudeBlock(api)}\n  permission_mode: bypassPermissions\n${agents()}`);
    const task = await oneTask(layout);
    await tickAndWait(layout);
    expect((await findTask(layout, task.id)).state, allLogs(layout)).toBe('done');
  });
});

describe('outcomes other than success', () => {
  it('a usage limit pauses the fleet and sends the task back without charging an attempt', async () => {
    const api = await scriptedApi(script(rateLimited()));
    const layout = await fleetProject(`${claudeBlock(api)}\nquota:\n  backoff_minutes: 30\n${agents()}`);
    const task = await oneTask(layout);
    const before = Date.now();
    const { state } = await tickAndWait(layout);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'usage_limit' });

    const back = await findTask(layout, task.id);
    expect(back.state).toBe('incoming');
    expect(back.attempts).toBe(0);
    const pause = (await readFleetState(layout)).pause!;
    expect(new Date(pause.until).getTime()).toBeGreaterThanOrEqual(before + 29 * 60_000);
    expect(back.not_before).toBe(pause.until);

    const next = await runTick(layout);
    expect(next.ran && next.plan.decisions[0]).toMatchObject({ action: 'skip', code: 'quota_paused' });
    const warnings = await listMessages(layout, { type: 'warning' });
    expect(warnings.map((m) => m.title)).toEqual([`Fleet paused until ${pause.until}: rate limit`]);
  });

  it('a run that ends "successfully" without committing is a failed attempt', async () => {
    const layout = await fleetProject(
      `claude:\n  command: ["${path.resolve(import.meta.dirname, 'fixtures/fake-claude/exit0-no-work.mjs')}"]\ntasks:\n  retry_backoff_seconds: 0\n${agents()}`,
    );
    const task = await oneTask(layout);
    const { state } = await tickAndWait(layout);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'no_commits' });
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(back.error).toMatch(/committed nothing/);
  });
});

describe('partial work is never lost', () => {
  it('a stalled run leaves its work on agent/<task>, and the next attempt continues from it', async () => {
    // A client that writes half of the work, then hangs until the stall limit kills it.
    const dir = tempDir('tickfleet-fake-');
    const hangAfterWriting = path.join(dir, 'write-then-hang.mjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      hangAfterWriting,
      `#!/usr/bin/env node\nimport { writeFileSync } from 'node:fs';\nwriteFileSync('half.txt', 'half of the work\\n');\nconsole.log(JSON.stringify({ type: 'system', subtype: 'init', session_id: 'x' }));\nsetInterval(() => {}, 1000);\n`,
      { mode: 0o755 },
    );
    const layout = await fleetProject(
      `claude:\n  command: ["${hangAfterWriting}"]\n  stall_minutes: 0.02\ntasks:\n  retry_backoff_seconds: 0\n${agents()}`,
    );
    const task = await oneTask(layout);
    const { state } = await tickAndWait(layout);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'stalled' });

    const back = await findTask(layout, task.id);
    expect(back, allLogs(layout)).toMatchObject({ state: 'incoming', attempts: 1, wip_branch: `agent/${task.id}` });
    expect(git(layout.root, 'show', `agent/${task.id}:half.txt`)).toBe('half of the work');

    // Second attempt with the real client: it starts from the saved work and delivers both.
    const api = await scriptedApi(implementerScenario());
    writeFileSync(layout.agentsYaml, `${claudeBlock(api)}\n${agents()}`);
    await tickAndWait(layout);
    const done = await findTask(layout, task.id);
    expect(done.state, allLogs(layout)).toBe('done');
    const files = git(layout.root, 'ls-tree', '-r', '--name-only', `agent/${task.id}`).split('\n');
    expect(files).toEqual(expect.arrayContaining(['half.txt', 'README.md']));
    expect(git(layout.root, 'log', '--format=%s', `main..agent/${task.id}`).split('\n')).toEqual([
      `${task.id}: Add a greeting`,
      `WIP ${task.id}: ${back.error!.split('; partial work')[0]}`,
    ]);
  });

  it('a runner killed with SIGKILL: the next tick sends its task back with attempts + 1', async () => {
    const hang = path.resolve(import.meta.dirname, 'fixtures/fake-claude/hang.mjs');
    // A backoff long enough that the next tick does not claim the task again at once.
    // A marker argument names this test's client, so only it is cleaned up.
    const marker = `sigkill-test-${process.pid}-${Date.now()}`;
    const layout = await fleetProject(
      `claude:\n  command: ["${hang}", "${marker}"]\ntasks:\n  retry_backoff_seconds: 600\n${agents()}`,
    );
    const task = await oneTask(layout);
    const report = await runTick(layout);
    expect(report.ran && report.started).toHaveLength(1);
    // Wait until the runner has started the client (its transcript exists), then kill the runner only.
    const running = await import('./helpers/fleet.js').then(({ waitFor }) =>
      waitFor('the client to start', async () => {
        const s = await readAgentState(layout, 'impl-1');
        const dir = path.join(layout.agents, 'impl-1', 'transcripts');
        return s.running?.pid && existsSync(dir) ? s.running : undefined;
      }),
    );
    process.kill(running.pid!, 'SIGKILL');
    // The orphaned client is in its own process group; end it so it does not outlive the test.
    try {
      execFileSync('pkill', ['-KILL', '-f', marker]);
    } catch {
      // nothing left
    }
    const { waitFor } = await import('./helpers/fleet.js');
    await waitFor('the runner to be gone', async () => {
      try {
        process.kill(running.pid!, 0);
        return undefined;
      } catch {
        return true;
      }
    });

    const next = await runTick(layout);
    expect(next.ran).toBe(true);
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(back.error).toMatch(/runner \(pid \d+\) died/);
    const state = await readAgentState(layout, 'impl-1');
    expect(state.last_outcome).toMatchObject({ kind: 'crashed', task_id: task.id });
    const records = await readLedgerDay(layout, localDay(new Date()));
    expect(records.find((r) => r.run_id === running.run_id)).toMatchObject({ outcome: 'crashed' });
  });
});
