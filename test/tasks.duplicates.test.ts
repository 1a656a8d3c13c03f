import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { type Layout, taskDir } from '../src/core/paths.js';
import { currentProcessIdentity } from '../src/core/processInfo.js';
import type { RunnerSpec, Spawner } from '../src/scheduler/spawn.js';
import { runTick } from '../src/scheduler/tick.js';
import { fleetStatus } from '../src/status/collect.js';
import { claimNext } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { failTask } from '../src/tasks/fail.js';
import { findTask } from '../src/tasks/list.js';
import { listQuarantined } from '../src/tasks/quarantine.js';
import { renewLease } from '../src/tasks/renew.js';
import { requeueStale } from '../src/tasks/requeue.js';
import { namesIn } from './fixtures/tasks/project.js';
import { cli } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';

const YAML = `review:\n  backend: local\ntasks:\n  lease_seconds: 3600\n  retry_backoff_seconds: 60\n  max_attempts: 3\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n`;

function recordingSpawner(): { spawner: Spawner; specs: RunnerSpec[] } {
  const specs: RunnerSpec[] = [];
  return {
    specs,
    spawner: async (_layout, spec) => {
      specs.push(spec);
      return { pid: process.pid };
    },
  };
}

/** A task claimed by a live runner (this process), with its incoming file copied back beside it, as a restore or a stray copy leaves it. */
async function claimedAndIncoming(layout: Layout, clock: FakeClock) {
  const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' }, { clock });
  const incomingText = readFileSync(task.file, 'utf8');
  const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 3600, clock });
  if (!claim.ok) throw new Error(claim.reason);
  await renewLease(layout, task.id, claim.token, { leaseSeconds: 3600, clock, runner: await currentProcessIdentity() });
  const incoming = path.join(taskDir(layout, 'incoming'), `${task.id}.md`);
  // The stray copy is the task as it was before the claim.
  writeFileSync(incoming, incomingText);
  return { id: task.id, token: claim.token, incoming, claimed: path.join(taskDir(layout, 'claimed'), `${task.id}.md`) };
}

describe('a task id in two queue folders', () => {
  it('incoming + claimed: ticks go on, the stray incoming copy is quarantined with both paths, no attempt is charged, the runner still completes it', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const dup = await claimedAndIncoming(layout, clock);
    const claimedBefore = readFileSync(dup.claimed, 'utf8');
    const { spawner, specs } = recordingSpawner();
    for (let i = 0; i < 4; i++) {
      clock.advance(120_000);
      const report = await runTick(layout, { clock, spawner });
      expect(report.ran).toBe(true);
    }
    // Nothing else was claimable: the stray copy was never claimed a second time.
    expect(specs).toEqual([]);
    expect(readFileSync(dup.claimed, 'utf8')).toBe(claimedBefore);
    expect(existsSync(dup.incoming)).toBe(false);
    const quarantined = listQuarantined(layout);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]!.reason).toContain(dup.incoming);
    expect(quarantined[0]!.reason).toContain(dup.claimed);
    expect(quarantined[0]!.reason).toMatch(/duplicate/);
    expect(await findTask(layout, dup.id)).toMatchObject({ state: 'claimed', attempts: 0 });

    const done = await completeTask(layout, dup.id, dup.token, { result: { summary: 'ok' } });
    expect(done.state).toBe('done');
    expect(namesIn(layout, 'failed')).toEqual([]);
    expect(namesIn(layout, 'incoming')).toEqual([]);

    const status = await fleetStatus(layout, { clock });
    expect(
      status.attention.some((a) => a.kind === 'quarantined' && a.text.includes(dup.id) && a.text.includes('duplicate')),
    ).toBe(true);
  });

  it('through the CLI as cron runs it: the tick exits 0', async () => {
    const layout = await fleetProject(YAML);
    const dup = await claimedAndIncoming(layout, new FakeClock(Date.now()));
    const first = await cli(['-C', layout.root, 'scheduler']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(existsSync(dup.incoming)).toBe(false);
    expect(existsSync(dup.claimed)).toBe(true);
    const second = await cli(['-C', layout.root, 'scheduler']);
    expect(second.code).toBe(0);
  });

  it('a claimed copy whose runner died beside an incoming copy: one attempt for the dead runner, none for the duplicate, never in two folders', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const dup = await claimedAndIncoming(layout, clock);
    await renewLease(layout, dup.id, dup.token, {
      leaseSeconds: 3600,
      clock,
      runner: { pid: 999_999_999, start: '1' },
    });
    const actions = await requeueStale(layout, { clock, backoffSeconds: 60 });
    expect(actions).toMatchObject([{ id: dup.id, to: 'incoming', attempts: 1 }]);
    expect(await findTask(layout, dup.id)).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(namesIn(layout, 'claimed')).toEqual([]);
    expect(listQuarantined(layout)).toHaveLength(1);
  });

  it('a finished task resurrected into incoming is never run again; done + failed keeps done', async () => {
    const layout = await fleetProject(YAML);
    const clock = new FakeClock('2026-03-10T12:00:00Z');
    const a = await enqueueTask(layout, { title: 'Done already', role: 'implement', created_by: 'test' }, { clock });
    const text = readFileSync(a.file, 'utf8');
    const claim = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
    if (!claim.ok) throw new Error(claim.reason);
    const done = await completeTask(layout, a.id, claim.token, { result: { summary: 'ok' } });
    writeFileSync(path.join(taskDir(layout, 'incoming'), `${a.id}.md`), text);
    const again = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
    expect(again.ok).toBe(false);
    expect(namesIn(layout, 'incoming')).toEqual([]);
    expect(readFileSync(done.file, 'utf8')).toContain('summary: ok');

    // done and failed at once (what the fault run ended with): the sweep keeps done.
    const b = await enqueueTask(layout, { title: 'Both', role: 'implement', created_by: 'test' }, { clock });
    const cb = await claimNext(layout, { role: 'implement', holder: 'impl-1', leaseSeconds: 600, clock });
    if (!cb.ok) throw new Error(cb.reason);
    const failed = await failTask(layout, b.id, cb.token, { error: 'boom', retry: false, backoffSeconds: 60, clock });
    copyFileSync(failed.file, path.join(taskDir(layout, 'done'), `${b.id}.md`));
    await requeueStale(layout, { clock, backoffSeconds: 60 });
    expect(namesIn(layout, 'failed')).toEqual([]);
    expect(namesIn(layout, 'done')).toEqual([`${a.id}.md`, `${b.id}.md`].sort());
    expect(
      listQuarantined(layout)
        .map((q) => path.basename(q.file))
        .sort(),
    ).toEqual([`${a.id}.md`, `${b.id}.md`].sort());
  });
});
