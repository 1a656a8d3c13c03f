import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { drainQueue } from '../src/merge-queue/drain.js';
import { runTick } from '../src/scheduler/tick.js';
import { approvedBranch, CULPRIT_TEST, queueProject } from './helpers/mergeQueue.js';

describe('the merge queue in the Prometheus textfile', () => {
  it('has the queue depth, whether it is held and the batches of the day by outcome', async () => {
    const textfile = path.join('.orchestrator', 'tickfleet.prom');
    const layout = await queueProject(CULPRIT_TEST, { batchSize: 1, extra: `metrics:\n  textfile: ${textfile}\n` });
    await approvedBranch(layout, 'add a', { 'a.txt': 'a\n' });
    await approvedBranch(layout, 'add a debug file', { 'CULPRIT-x.txt': 'x\n' });
    await drainQueue(layout);
    await approvedBranch(layout, 'add b', { 'b.txt': 'b\n' });
    // The tick that writes the textfile must not start the queue: the third branch stays waiting.
    const report = await runTick(layout, {
      clock: new FakeClock(new Date()),
      spawner: async () => ({ pid: 1 }),
      startBatch: async () => ({ pid: process.pid, start: 'unknown' }),
    });
    expect(report.ran).toBe(true);
    const text = readFileSync(path.join(layout.root, textfile), 'utf8');
    const project = `project="${layout.root}"`;
    expect(text).toContain(`tickfleet_merge_queue_depth{${project}} 1`);
    expect(text).toContain(`tickfleet_merge_queue_held{${project}} 0`);
    expect(text).toContain(`tickfleet_merge_queue_batches_today{${project},outcome="landed"} 1`);
    expect(text).toContain(`tickfleet_merge_queue_batches_today{${project},outcome="rejected"} 1`);
  });
});
