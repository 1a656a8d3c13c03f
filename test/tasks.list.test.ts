import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { ExitError } from '../src/core/errors.js';
import { cancelTask } from '../src/tasks/cancel.js';
import { claimTask } from '../src/tasks/claim.js';
import { completeTask } from '../src/tasks/complete.js';
import { dependencyProblems } from '../src/tasks/deps.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { listQuarantined } from '../src/tasks/quarantine.js';
import { updateTask } from '../src/tasks/update.js';
import { addTask, HAND_WRITTEN, namesIn, readRaw, SEED_TASK, tempLayout, writeRaw } from './fixtures/tasks/project.js';

describe('listTasks', () => {
  it('quarantines unreadable files with the reason beside them and still lists every other task', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const good = await addTask(layout, clock);
    writeRaw(layout, 'incoming', 'TASK-a1b2c3d4.md', SEED_TASK);
    writeRaw(layout, 'done', 'TASK-0000beef.md', HAND_WRITTEN);
    const bad1 = writeRaw(
      layout,
      'incoming',
      'TASK-bad00001.md',
      '---\nid: TASK-bad00001\ntitle: "unterminated\nrole: x\n---\n',
    );
    writeRaw(layout, 'claimed', 'TASK-bad00002.md', '---\nid: TASK-bad00002\ntitle: no role\n---\n');
    writeRaw(layout, 'done', 'TASK-bad00003.md', '---\nid: TASK-other\ntitle: t\nrole: r\n---\n');
    const { tasks, problems } = await listTasks(layout);
    expect(tasks.map((t) => `${t.state}/${t.id}`).sort()).toEqual(
      [`done/TASK-0000beef`, `incoming/${good.id}`, 'incoming/TASK-a1b2c3d4'].sort(),
    );
    expect(problems.map((p) => path.basename(p.file))).toEqual([
      'TASK-bad00001.md',
      'TASK-bad00002.md',
      'TASK-bad00003.md',
    ]);
    expect(problems[0]!.quarantinedTo).toBe(path.join(layout.queue, 'quarantine', 'TASK-bad00001.md'));
    expect(problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(
        new RegExp(`^${bad1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: front matter is not valid YAML: `),
      ),
      expect.stringMatching(/TASK-bad00002\.md: role is missing/),
      expect.stringMatching(/TASK-bad00003\.md: id TASK-other does not match the file name \(expected TASK-bad00003\)/),
    ]);
    expect(namesIn(layout, 'quarantine')).toEqual([
      'TASK-bad00001.md',
      'TASK-bad00001.md.reason',
      'TASK-bad00002.md',
      'TASK-bad00002.md.reason',
      'TASK-bad00003.md',
      'TASK-bad00003.md.reason',
    ]);
    expect(readRaw(path.join(layout.queue, 'quarantine', 'TASK-bad00002.md.reason'))).toBe(`${problems[1]!.reason}\n`);
    expect(listQuarantined(layout).map((q) => [path.basename(q.file), q.reason])).toEqual(
      problems.map((p) => [path.basename(p.file), p.reason]),
    );
    // A second file of the same name in quarantine does not replace the first.
    writeRaw(layout, 'incoming', 'TASK-bad00001.md', 'garbage\n');
    await listTasks(layout, { states: ['incoming'] });
    expect(namesIn(layout, 'quarantine')).toContain('TASK-bad00001.2.md');
  });

  it('never lists temp files or non-markdown files', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const task = await addTask(layout, clock);
    writeRaw(layout, 'incoming', `.${task.id}.md.abc123.tmp`, 'partial');
    writeRaw(layout, 'incoming', '.hidden.md', 'partial');
    writeRaw(layout, 'incoming', 'notes.txt', 'x');
    mkdirSync(layout.tmp, { recursive: true });
    writeFileSync(path.join(layout.tmp, '.TASK-x.md.1.tmp'), 'partial');
    const { tasks, problems } = await listTasks(layout);
    expect(tasks.map((t) => t.id)).toEqual([task.id]);
    expect(problems).toEqual([]);
  });

  it('filters by state', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const a = await addTask(layout, clock);
    await addTask(layout, clock);
    await cancelTask(layout, a.id, { reason: 'dup', by: 'me' });
    expect((await listTasks(layout, { states: ['failed'] })).tasks.map((t) => t.id)).toEqual([a.id]);
  });
});

describe('ids that do not name a task', () => {
  it.each(['../x', '../../etc/passwd', 'a/b', 'TASK-1/../TASK-2', '', '.hidden', 'x'.repeat(200)])(
    'refuses %j with a one-line ExitError',
    async (id) => {
      const layout = tempLayout();
      const err = await findTask(layout, id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExitError);
      expect((err as ExitError).exitCode).toBe(1);
      expect((err as Error).message).toMatch(/is not a valid task id: use letters, digits/);
      expect((err as Error).message).not.toContain('\n');
      await expect(updateTask(layout, id, () => undefined)).rejects.toThrow(/is not a valid task id/);
      await expect(cancelTask(layout, id, { reason: 'r', by: 'me' })).rejects.toThrow(/is not a valid task id/);
    },
  );

  it('reports an unknown id in one line', async () => {
    await expect(findTask(tempLayout(), 'TASK-12345678')).rejects.toThrow(
      'task TASK-12345678 not found in incoming, claimed, done, failed',
    );
  });

  it('quarantines an unreadable task when it is looked up', async () => {
    const layout = tempLayout();
    writeRaw(layout, 'incoming', 'TASK-00000bad.md', 'not a task\n');
    await expect(findTask(layout, 'TASK-00000bad')).rejects.toThrow(
      /TASK-00000bad could not be read and was moved to .*quarantine\/TASK-00000bad\.md: .*neither YAML front matter/,
    );
    expect(namesIn(layout, 'incoming')).toEqual([]);
  });
});

describe('dependencyProblems', () => {
  it('reports unknown ids, failed blockers and cycles among open tasks', async () => {
    const layout = tempLayout();
    const clock = new FakeClock();
    const a = await addTask(layout, clock);
    const b = await addTask(layout, clock, { blocked_by: [a.id] });
    const c = await addTask(layout, clock, { blocked_by: [b.id] });
    // Close the loop a → c → b → a, and point at ids nobody has, the way a hand edit would.
    await updateTask(layout, a.id, (t) => {
      t.blocked_by = [c.id, 'TASK-missing'];
    });
    const self = await addTask(layout, clock);
    await updateTask(layout, self.id, (t) => {
      t.blocked_by = [self.id];
    });
    const dead = await addTask(layout, clock);
    await cancelTask(layout, dead.id, { reason: 'obsolete', by: 'me' });
    const waiting = await addTask(layout, clock, { blocked_by: [dead.id] });
    const done = await addTask(layout, clock);
    const claim = await claimTask(layout, done.id, { holder: 'h', leaseSeconds: 60, clock });
    if (!claim.ok) throw new Error(claim.reason);
    await completeTask(layout, done.id, claim.token, { result: {} });
    await addTask(layout, clock, { blocked_by: [done.id] });

    const problems = dependencyProblems((await listTasks(layout)).tasks);
    const cycle = [a.id, b.id, c.id].sort();
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          kind: 'unknown',
          id: a.id,
          blocker: 'TASK-missing',
          message: `${a.id} is blocked by TASK-missing, which is not a known task`,
        },
        {
          kind: 'failed',
          id: waiting.id,
          blocker: dead.id,
          message: `${waiting.id} is blocked by ${dead.id}, which failed (retry or cancel it)`,
        },
        {
          kind: 'cycle',
          ids: cycle,
          message: `blocked_by cycle among ${cycle.join(', ')}: none of them can ever be claimed`,
        },
        {
          kind: 'cycle',
          ids: [self.id],
          message: `blocked_by cycle among ${self.id}: none of them can ever be claimed`,
        },
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('refuses an unknown blocked_by id when the task is created', async () => {
    const layout = tempLayout();
    await expect(
      enqueueTask(layout, { title: 't', role: 'implement', created_by: 'pm', blocked_by: ['TASK-nope'] }),
    ).rejects.toThrow('blocked_by: TASK-nope is not a known task (not in incoming, claimed, done, failed)');
    expect(namesIn(layout, 'incoming')).toEqual([]);
  });
});
