import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAgentState } from '../src/agents/state.js';
import { loadConfig } from '../src/config/load.js';
import { type Clock, systemClock } from '../src/core/clock.js';
import type { Layout } from '../src/core/paths.js';
import { listMessages } from '../src/messages/list.js';
import { createLocalReview } from '../src/review/local.js';
import { reviewer } from '../src/roles/reviewer.js';
import { agentIdentity } from '../src/runner/agentEnv.js';
import { runTick } from '../src/scheduler/tick.js';
import { script, slowStream, text } from '../src/scripted-api/dsl.js';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimNext } from '../src/tasks/claim.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { LeaseLostError } from '../src/tasks/lease.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { requeueStale } from '../src/tasks/requeue.js';
import type { Task } from '../src/tasks/task.js';
import { allLogs, claudeBlock, fleetProject, runEnded, waitFor } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git, tempDir } from './helpers/tmp.js';

const FAKE_GH_DIR = path.resolve(import.meta.dirname, 'fixtures/fake-gh');
const AGENT = `agents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`;

type Delivery = 'skip_pr' | 'local' | 'github';

interface Held {
  started: string;
  go: string;
}

/**
 * A git hook that holds the runner until `go` exists, the first time it
 * creates `agent/<task>` (the first step of delivering, after the client
 * ended) or pushes it: the test loses the lease in between, as a person or a
 * tick would.
 */
function holdInGitHook(root: string, at: 'branch' | 'push'): Held {
  const dir = tempDir('tickfleet-hold-');
  const held = { started: path.join(dir, 'started'), go: path.join(dir, 'go') };
  writeFileSync(
    path.join(root, '.git', 'hooks', at === 'branch' ? 'reference-transaction' : 'pre-push'),
    [
      '#!/bin/sh',
      ...(at === 'branch' ? ['[ "$1" = committed ] || exit 0', "grep -q ' refs/heads/agent/' || exit 0"] : []),
      `[ -e '${held.go}' ] && exit 0`,
      `: > '${held.started}'`,
      `while [ ! -e '${held.go}' ]; do sleep 0.05; done`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return held;
}

/** Held files for a test command that holds the merge queue's test run (a long effect) until `go` exists. */
function heldTests(): Held & { command: string } {
  const dir = tempDir('tickfleet-hold-');
  const held = { started: path.join(dir, 'started'), go: path.join(dir, 'go') };
  return { ...held, command: `: > '${held.started}'; while [ ! -e '${held.go}' ]; do sleep 0.05; done` };
}

async function project(
  delivery: Delivery,
  testCommand?: string,
): Promise<{ layout: Layout; task: Task; ghLog: string }> {
  const api = await scriptedApi(implementerScenario());
  const review =
    delivery === 'github'
      ? 'review:\n  backend: github\n'
      : delivery === 'local'
        ? 'review:\n  backend: local\n'
        : testCommand
          ? `review:\n  test_command: ${JSON.stringify(testCommand)}\n`
          : '';
  const layout = await fleetProject(`${claudeBlock(api)}\n${review}${AGENT}`);
  const ghLog = path.join(tempDir(), 'gh.jsonl');
  if (delivery === 'github') {
    const origin = tempDir('tickfleet-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(layout.root, 'remote', 'add', 'origin', origin);
    git(layout.root, 'push', '-q', 'origin', 'main');
    process.env.FAKE_GH_LOG = ghLog;
  }
  const task = await enqueueTask(layout, {
    title: 'Add a greeting',
    role: 'implement',
    created_by: 'test',
    context: 'Say hello.',
    acceptance: ['a file says hello'],
    ...(delivery === 'skip_pr' ? { skip_pr: true } : {}),
  });
  return { layout, task, ghLog };
}

/** An hour on: every lease taken now has expired. */
const anHourLater: Clock = { now: () => new Date(Date.now() + 3_600_000) };

describe('a runner that lost its task during delivery leaves only its branch', () => {
  const saved = { PATH: process.env.PATH, FAKE_GH_LOG: process.env.FAKE_GH_LOG };
  beforeEach(() => {
    process.env.PATH = `${FAKE_GH_DIR}${path.delimiter}${saved.PATH}`;
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.FAKE_GH_LOG === undefined) delete process.env.FAKE_GH_LOG;
    else process.env.FAKE_GH_LOG = saved.FAKE_GH_LOG;
  });

  // Each fence point (the base's advance, the review record, gh pr create) with a lost lease of either kind.
  // Each fence point with a lost lease of either kind: lost before delivery reaches it (`branch`), or
  // during a long step that follows a fresh check (the project's tests before a merge, the branch push before a PR).
  const cases: { delivery: Delivery; loss: 'cancel' | 'reclaim'; during: 'branch' | 'tests' | 'push' }[] = [
    { delivery: 'skip_pr', loss: 'cancel', during: 'branch' },
    { delivery: 'skip_pr', loss: 'reclaim', during: 'tests' },
    { delivery: 'local', loss: 'reclaim', during: 'branch' },
    { delivery: 'github', loss: 'cancel', during: 'branch' },
    { delivery: 'github', loss: 'reclaim', during: 'push' },
  ];

  it.each(cases)(
    '$delivery, $loss during the $during step: no merge, no review entry, no PR; the task stays where the $loss put it',
    async ({ delivery, loss, during }) => {
      const tests = during === 'tests' ? heldTests() : undefined;
      const { layout, task, ghLog } = await project(delivery, tests?.command);
      const held = tests ?? holdInGitHook(layout.root, during === 'push' ? 'push' : 'branch');
      const mainBefore = git(layout.root, 'rev-parse', 'main');

      const report = await runTick(layout);
      expect(report.ran && report.started).toHaveLength(1);
      await waitFor(`delivery to reach the held ${during} step`, () => existsSync(held.started) || undefined);

      let newToken: string | undefined;
      if (loss === 'cancel') {
        await cancelTask(layout, task.id, { reason: 'not needed any more', by: 'alice' });
      } else {
        // The lease expires (as if the runner had stalled) and another runner takes the task.
        const requeued = await requeueStale(layout, { clock: anHourLater, backoffSeconds: 0 });
        expect(requeued).toMatchObject([{ id: task.id, to: 'incoming' }]);
        const claim = await claimNext(layout, {
          role: 'implement',
          holder: 'impl-2',
          leaseSeconds: 300,
          clock: anHourLater,
        });
        if (!claim.ok) throw new Error(claim.reason);
        newToken = claim.token;
      }
      writeFileSync(held.go, '');
      const state = await runEnded(layout, 'impl-1');

      expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'lease_lost', task_id: task.id });
      expect(git(layout.root, 'rev-parse', 'main')).toBe(mainBefore);
      const reviews = createLocalReview({ layout });
      expect(await reviews.openCount()).toBe(0);
      expect(await reviews.list('merged')).toEqual([]);
      const ghCalls = existsSync(ghLog)
        ? readFileSync(ghLog, 'utf8')
            .trim()
            .split('\n')
            .map((l) => (JSON.parse(l) as { argv: string[] }).argv.slice(0, 2).join(' '))
        : [];
      expect(ghCalls).not.toContain('pr create');
      expect((await listTasks(layout)).tasks.map((t) => t.id)).toEqual([task.id]);

      const after = await findTask(layout, task.id);
      if (loss === 'cancel') {
        expect(after).toMatchObject({ state: 'failed', error: 'cancelled: not needed any more (by alice)' });
      } else {
        expect(after.state).toBe('claimed');
        expect(after.lease).toMatchObject({ holder: 'impl-2', token: newToken });
        expect(after.result).toBeUndefined();
      }
      // The work itself is kept on its branch.
      expect(git(layout.root, 'log', '-1', '--format=%s', `agent/${task.id}`)).toBe(`${task.id}: Add a greeting`);
    },
  );
});

describe('a reviewer that lost its review task files nothing', () => {
  const decision = {
    verdict: 'request_changes',
    summary: 'The guard is gone.',
    findings: [
      {
        severity: 'high',
        file: 'src/greet.js',
        title: 'greet() accepts an empty name',
        detail: 'Throw on an empty name.',
        create_task: true,
      },
      {
        severity: 'low',
        file: 'src/greet.js',
        title: 'Name the function',
        detail: 'Reads better in stack traces.',
        create_task: false,
      },
    ],
  };

  it.each(['cancel', 'reclaim'] as const)(
    '%s between the end of the client and the follow-up: no fix task, no message',
    async (loss) => {
      const layout = await fleetProject(`agents:\n  - name: reviewer-1\n    role: reviewer\n    interval_seconds: 1\n`);
      const { config } = await loadConfig(layout);
      const agent = config.agents[0]!;
      const review = await enqueueTask(layout, { title: 'Review main', role: 'review', created_by: 'pm' });
      const claim = await claimNext(layout, { role: 'review', holder: 'reviewer-1', leaseSeconds: 300 });
      if (!claim.ok) throw new Error(claim.reason);
      if (loss === 'cancel') {
        await cancelTask(layout, review.id, { reason: 'merged already', by: 'alice' });
      } else {
        await requeueStale(layout, { clock: anHourLater, backoffSeconds: 0 });
        const again = await claimNext(layout, {
          role: 'review',
          holder: 'reviewer-2',
          leaseSeconds: 300,
          clock: anHourLater,
        });
        if (!again.ok) throw new Error(again.reason);
      }

      const ctx = {
        layout,
        config,
        agent,
        runId: 'run-1',
        clock: systemClock,
        identity: agentIdentity(agent),
        task: claim.task,
        token: claim.token,
        log: () => undefined,
      };
      const metrics = {
        costUsd: 0,
        tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
        turns: 1,
        durationMs: 1,
        toolUses: 0,
        apiRetries: 0,
        permissionDenials: [],
      };
      const run = {
        outcome: { kind: 'success' as const, reason: 'finished in 1 turns', structuredOutput: decision },
        metrics,
        summary: '',
        prepared: { context: { branch: 'main', base: 'main' } },
      };
      await expect(reviewer.followUp(ctx, run)).rejects.toBeInstanceOf(LeaseLostError);

      expect((await listTasks(layout)).tasks.map((t) => t.id)).toEqual([review.id]);
      expect(await listMessages(layout)).toEqual([]);
      expect((await findTask(layout, review.id)).state).toBe(loss === 'cancel' ? 'failed' : 'claimed');
    },
  );
});

/** True while any process of the group led by `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a cancel stops the client within seconds', () => {
  it('a slow model, cancelled while the client waits on it: the run ends lease_lost and the client is gone in under 15 s', async () => {
    // About two minutes of answer: an event every 20 s.
    const api = await scriptedApi(script(slowStream(20_000, text('Still thinking about the greeting.'))));
    const layout = await fleetProject(`${claudeBlock(api)}\n${AGENT}`);
    const task = await enqueueTask(layout, { title: 'Add a greeting', role: 'implement', created_by: 'test' });
    const report = await runTick(layout);
    expect(report.ran && report.started).toHaveLength(1);
    await waitFor('the client to ask the model', () => api.conversation().length > 0 || undefined);
    const runner = (await readAgentState(layout, 'impl-1')).running?.pid;
    if (!runner) throw new Error(`no runner recorded\n${allLogs(layout)}`);
    // The client is the runner's child and leads its own process group.
    const client = Number(
      execFileSync('pgrep', ['-P', String(runner)], { encoding: 'utf8' })
        .trim()
        .split('\n')[0],
    );
    expect(groupAlive(client)).toBe(true);

    const cancelledAt = Date.now();
    await cancelTask(layout, task.id, { reason: 'wrong idea', by: 'alice' });
    const state = await runEnded(layout, 'impl-1', 30_000);
    await waitFor('the client group to be gone', () => !groupAlive(client) || undefined, 10_000);
    const took = Date.now() - cancelledAt;

    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'lease_lost', task_id: task.id });
    // A person's cancel is not the agent's failure.
    expect(state.consecutive_failures).toBe(0);
    expect(took).toBeLessThan(15_000);
    expect(await findTask(layout, task.id)).toMatchObject({
      state: 'failed',
      error: 'cancelled: wrong idea (by alice)',
    });
  });
});
