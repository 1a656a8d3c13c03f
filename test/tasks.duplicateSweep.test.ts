import { copyFileSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { type Layout, TASK_STATES, taskDir } from '../src/core/paths.js';
import { claimNext } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { sweepSignFile, sweptClean, takeSweepSign } from '../src/tasks/duplicateSweepSign.js';
import { TASK_KEEP_ORDER } from '../src/tasks/duplicates.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { listQuarantined } from '../src/tasks/quarantine.js';
import { requeueStale } from '../src/tasks/requeue.js';
import { fleetProject } from './helpers/fleet.js';

const YAML = 'review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n';

/** A queue with one task done and one waiting, its folders last changed a minute ago (as between two idle ticks). */
async function settledQueue(): Promise<{ layout: Layout; doneFile: string; waitingFile: string }> {
  const layout = await fleetProject(YAML);
  const clock = new FakeClock('2026-03-10T12:00:00Z');
  const task = await enqueueTask(layout, { title: 'Done once', role: 'implement', created_by: 'test' }, { clock });
  const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
  if (!claim.ok) throw new Error(claim.reason);
  const done = await completeTask(layout, task.id, claim.token, { result: { summary: 'ok' } });
  const waiting = await enqueueTask(layout, { title: 'Waits', role: 'test', created_by: 'test' }, { clock });
  settle(layout);
  return { layout, doneFile: done.file, waitingFile: waiting.file };
}

function settle(layout: Layout): void {
  const past = (Date.now() - 60_000) / 1000;
  for (const s of TASK_STATES) utimesSync(taskDir(layout, s), past, past);
}

const sweep = (layout: Layout) => requeueStale(layout, { clock: new FakeClock(Date.now()), backoffSeconds: 60 });
const clean = (layout: Layout) => sweptClean(layout, takeSweepSign(layout, TASK_KEEP_ORDER));

describe('the duplicate sweep skips folders unchanged since it last found none', () => {
  it('an unchanged queue is known clean; a copy dropped into any folder is found at the next sweep', async () => {
    const { layout, doneFile, waitingFile } = await settledQueue();
    expect(clean(layout)).toBe(false);
    expect(await sweep(layout)).toEqual([]);
    expect(clean(layout)).toBe(true);
    // A finished task restored into incoming/.
    copyFileSync(doneFile, path.join(taskDir(layout, 'incoming'), path.basename(doneFile)));
    expect(clean(layout)).toBe(false);
    expect((await sweep(layout)).map((a) => a.to)).toEqual(['quarantine']);
    settle(layout);
    expect(await sweep(layout)).toEqual([]);
    expect(clean(layout)).toBe(true);
    // A waiting task copied into done/, the folder of thousands.
    copyFileSync(waitingFile, path.join(taskDir(layout, 'done'), path.basename(waitingFile)));
    expect((await sweep(layout)).map((a) => a.to)).toEqual(['quarantine']);
    expect(listQuarantined(layout)).toHaveLength(2);
    expect(readdirSync(taskDir(layout, 'incoming'))).toEqual([]);
  });

  it('folders changed just now are listed at every sweep: their stamps could hide a change in the same clock tick', async () => {
    const { layout } = await settledQueue();
    await sweep(layout);
    expect(clean(layout)).toBe(true);
    await enqueueTask(
      layout,
      { title: 'New', role: 'implement', created_by: 'test' },
      { clock: new FakeClock(Date.now()) },
    );
    await sweep(layout);
    expect(clean(layout)).toBe(false);
  });

  it('a sign that cannot be kept only means the next sweep lists the folders', async () => {
    const { layout, doneFile } = await settledQueue();
    mkdirSync(sweepSignFile(layout));
    expect(await sweep(layout)).toEqual([]);
    expect(clean(layout)).toBe(false);
    copyFileSync(doneFile, path.join(taskDir(layout, 'incoming'), path.basename(doneFile)));
    expect((await sweep(layout)).map((a) => a.to)).toEqual(['quarantine']);
    expect(readdirSync(layout.queue).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a damaged or other-shaped sign means a sweep', async () => {
    const { layout } = await settledQueue();
    await sweep(layout);
    for (const damage of ['{"stamps":', 'null', '{"stamps":{},"at":0}', '{"at":1}']) {
      writeFileSync(sweepSignFile(layout), damage);
      expect(clean(layout)).toBe(false);
    }
    await sweep(layout);
    expect(clean(layout)).toBe(true);
  });
});
