import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { worktreePathFor } from '../src/core/paths.js';
import { MAX_UNCHARGED_RELEASES } from '../src/runner/bookkeeping.js';
import { runTick } from '../src/scheduler/tick.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, fleetProject, runEnded, waitFor } from './helpers/fleet.js';

const HANG = path.resolve(import.meta.dirname, 'fixtures/fake-claude/hang.mjs');

describe("a failure of tickfleet's own setup is not charged to the task", () => {
  it(`sends the task back uncharged ${MAX_UNCHARGED_RELEASES} times, then charges it`, async () => {
    const layout = await fleetProject(
      `claude:\n  command: ["${HANG}"]\ntasks:\n  retry_backoff_seconds: 0\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`,
    );
    const task = await enqueueTask(layout, {
      title: 'Add a greeting',
      role: 'implement',
      created_by: 'test',
      context: 'Say hello.',
      acceptance: ['a file says hello'],
    });
    // A process still works in a leftover folder where the task's worktree goes: it must be neither moved nor reused.
    const wt = worktreePathFor(layout, 'impl-1', task.id);
    mkdirSync(wt, { recursive: true });
    writeFileSync(path.join(wt, 'left.txt'), 'left\n');
    const sitter = spawn('sleep', ['600'], { cwd: wt, stdio: 'ignore' });
    try {
      for (let i = 1; i <= MAX_UNCHARGED_RELEASES + 1; i++) {
        // The agent's 1 s interval: tick until it is due again.
        await waitFor(`attempt ${i} to start`, async () => {
          const report = await runTick(layout);
          return report.ran && report.started.length === 1 ? true : undefined;
        });
        await runEnded(layout, 'impl-1');
        const back = await findTask(layout, task.id);
        if (i <= MAX_UNCHARGED_RELEASES) {
          expect(back, allLogs(layout)).toMatchObject({ state: 'incoming', attempts: 0, uncharged_releases: i });
          expect(back.error).toMatch(
            new RegExp(
              `released: tickfleet's own setup failed \\(${i} of ${MAX_UNCHARGED_RELEASES} uncharged\\).*in use by pid ${sitter.pid}`,
            ),
          );
        } else {
          expect(back, allLogs(layout)).toMatchObject({ state: 'incoming', attempts: 1 });
          expect(back.error).toMatch(/charged this time/);
        }
      }
    } finally {
      sitter.kill('SIGKILL');
      await once(sitter, 'exit');
    }
  }, 120_000);
});
