import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunningRun, readAgentState } from '../src/agents/state.js';
import { localDay } from '../src/core/clock.js';
import { worktreePathFor } from '../src/core/paths.js';
import { processesInside } from '../src/git/processesInside.js';
import { readLedgerDay } from '../src/ledger/ledger.js';
import { groupAlive } from '../src/process/group.js';
import { runTick } from '../src/scheduler/tick.js';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import type { Scenario } from '../src/scripted-api/scenario.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject, runEnded, waitFor } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git } from './helpers/tmp.js';

const pgidOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
};

const gone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

describe.runIf(process.platform === 'linux')('a runner killed with SIGKILL takes its client with it', () => {
  it('the next tick kills the client, main is untouched, and the next attempt is alone in its worktree', async () => {
    // The first attempt's model is slow: its first reply waits until the test lets it go.
    let firstSession: string | undefined;
    let firstAsked = 0;
    let letGo!: () => void;
    const gate = new Promise<void>((r) => (letGo = r));
    let secondAttemptSaw: { pids: number[]; pgids: (number | undefined)[] } | undefined;
    const implement = implementerScenario();
    let layoutRoot = '';
    let taskId = '';
    const scenario: Scenario = async (req) => {
      firstSession ??= req.sessionId;
      if (req.sessionId === firstSession) {
        firstAsked++;
        await gate;
      } else if (req.index === 0) {
        // Who works in the task's worktree while the second attempt's model is asked?
        const pids =
          (await processesInside(
            worktreePathFor({ agents: path.join(layoutRoot, '.orchestrator', 'agents') } as never, 'impl-1', taskId),
          )) ?? [];
        secondAttemptSaw = { pids, pgids: pids.map(pgidOf) };
      }
      return implement(req);
    };
    const api = await scriptedApi(scenario);
    const layout = await fleetProject(
      `${claudeBlock(api)}\ntasks:\n  retry_backoff_seconds: 8\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`,
    );
    layoutRoot = layout.root;
    const task = await enqueueTask(layout, {
      title: 'Add a greeting',
      role: 'implement',
      created_by: 'test',
      context: 'Say hello.',
      acceptance: ['a file says hello'],
    });
    taskId = task.id;
    const mainBefore = git(layout.root, 'rev-parse', 'main');
    const statusBefore = git(layout.root, 'status', '--porcelain');

    const first = await runTick(layout);
    expect(first.ran && first.started).toHaveLength(1);
    const run: RunningRun = await waitFor('the client to ask the model', async () => {
      const s = await readAgentState(layout, 'impl-1');
      return firstAsked > 0 && s.running?.pid && s.running.client_pgid ? s.running : undefined;
    });
    const wt = worktreePathFor(layout, 'impl-1', task.id);
    expect((await processesInside(wt))!.map(pgidOf)).toContain(run.client_pgid);
    process.kill(run.pid!, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('the runner to be gone', () => gone(run.pid!));
    // The client outlived its runner, as it does in its own process group.
    expect(await groupAlive(run.client_pgid!)).toBe(true);

    const second = await runTick(layout);
    expect(second.ran).toBe(true);
    // Nothing of the dead run is left, in its group or in its worktree.
    expect(await groupAlive(run.client_pgid!), allLogs(layout)).toBe(false);
    expect(await processesInside(wt)).toEqual([]);
    letGo();
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    const crashed = (await readLedgerDay(layout, localDay(new Date()))).find((r) => r.run_id === run.run_id)!;
    expect(crashed).toMatchObject({ outcome: 'crashed', finished_at_estimated: true });
    expect(new Date(crashed.finished_at).getTime()).toBeLessThanOrEqual(killedAt + 999);

    // The next attempt, once its backoff has passed, works alone and delivers.
    await waitFor('the next attempt to start', async () => {
      const r = await runTick(layout);
      return r.ran && r.started.length === 1 ? true : undefined;
    });
    await runEnded(layout, 'impl-1');
    expect((await findTask(layout, task.id)).state, allLogs(layout)).toBe('done');
    expect(firstAsked).toBe(1);
    expect(secondAttemptSaw?.pids.length).toBeGreaterThan(0);
    const secondRun = (await readLedgerDay(layout, localDay(new Date()))).find(
      (r) => r.run_id !== run.run_id && r.outcome === 'success',
    );
    expect(secondRun).toBeDefined();
    expect(new Set(secondAttemptSaw!.pgids).size, JSON.stringify(secondAttemptSaw)).toBe(1);
    expect(secondAttemptSaw!.pgids[0]).not.toBe(run.client_pgid);
    // The person's checkout is as it was.
    expect(git(layout.root, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(layout.root, 'status', '--porcelain')).toBe(statusBefore);
  }, 120_000);
});
