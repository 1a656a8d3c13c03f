import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { layoutFor } from '../src/core/paths.js';
import { clearMessages } from '../src/messages/clear.js';
import { listMessages } from '../src/messages/list.js';
import { sendMessage, sendQuestion, sendWarning } from '../src/messages/send.js';
import { tempDir } from './helpers/tmp.js';

const mdFiles = async (dir: string) => (await fs.readdir(dir)).filter((n) => n.endsWith('.md')).sort();

describe('sendMessage', () => {
  it('writes the file under .orchestrator/messages/ with the seed name', async () => {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2024-01-15T14:30:00Z');
    const result = await sendWarning(
      layout,
      { title: 'Test failures', body: 'x', from: 'test-agent', task: 'TASK-abc123' },
      { clock },
    );
    expect(result).toEqual({
      file: path.join(layout.messages, 'warning-20240115-143000-test-failures.md'),
      sent: true,
    });
    expect(await fs.readFile(result.file, 'utf8')).toContain('**Task:** TASK-abc123\n');
  });

  it('never clobbers: the same title in the same second gets a suffix', async () => {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2024-01-15T14:30:00Z');
    const bodies = ['one', 'two', 'three'];
    const files = await Promise.all(
      bodies.map((body) => sendMessage(layout, { type: 'info', title: 'Done', body, from: 'a' }, { clock })),
    );
    expect(files.map((r) => path.basename(r.file)).sort()).toEqual([
      'info-20240115-143000-done-2.md',
      'info-20240115-143000-done-3.md',
      'info-20240115-143000-done.md',
    ]);
    const written = await Promise.all(files.map((r) => fs.readFile(r.file, 'utf8')));
    expect(written.map((t) => t.trimEnd().split('\n').pop()).sort()).toEqual(['one', 'three', 'two']);
    expect(await fs.readdir(layout.messages)).toHaveLength(3); // no temp files left behind
  });

  it('sends a dedupeKey once, even after the messages are cleared by hand or by clearMessages', async () => {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2024-01-15T14:30:00Z');
    const conflict = {
      title: 'Conflicting proposals',
      body: 'PROP-a vs PROP-b',
      from: 'curator',
      dedupeKey: 'conflict:PROP-a+PROP-b',
    };
    const first = await sendQuestion(layout, conflict, { clock });
    expect(first.sent).toBe(true);

    clock.advance(60_000);
    expect(await sendQuestion(layout, conflict, { clock })).toEqual({ file: first.file, sent: false });

    await fs.rm(first.file); // the user deletes the message file
    clock.advance(3_600_000);
    expect((await sendQuestion(layout, conflict, { clock })).sent).toBe(false);
    await clearMessages(layout, {}, { clock });
    expect((await sendQuestion(layout, conflict, { clock })).sent).toBe(false);
    expect(await mdFiles(layout.messages)).toEqual([]);

    // Another key is another problem.
    expect((await sendQuestion(layout, { ...conflict, dedupeKey: 'conflict:PROP-c+PROP-d' }, { clock })).sent).toBe(
      true,
    );
  });

  it('sends a key exactly once when many senders race for it', async () => {
    const layout = layoutFor(tempDir());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sendMessage(layout, {
          type: 'warning',
          title: `Stuck ${i}`,
          body: '',
          from: `agent-${i}`,
          dedupeKey: 'stuck:TASK-1',
        }),
      ),
    );
    expect(results.filter((r) => r.sent)).toHaveLength(1);
    expect(new Set(results.map((r) => r.file)).size).toBe(1);
    expect(await mdFiles(layout.messages)).toHaveLength(1);
  });

  it('rejects an unknown type before touching the disk', async () => {
    const layout = layoutFor(tempDir());
    await expect(sendMessage(layout, { type: 'loud' as never, title: 'x', body: '', from: 'a' })).rejects.toThrow(
      /unknown message type "loud"/,
    );
    await expect(fs.stat(layout.messages)).rejects.toThrow(/ENOENT/);
  });
});

describe('listMessages and clearMessages', () => {
  async function fleetOfMessages() {
    const layout = layoutFor(tempDir());
    const clock = new FakeClock('2024-01-15T00:00:00Z');
    const send = async (type: 'info' | 'warning' | 'error' | 'question', title: string, hoursLater: number) => {
      clock.set(Date.parse('2024-01-15T00:00:00Z') + hoursLater * 3_600_000);
      await sendMessage(layout, { type, title, body: `${title} body`, from: 'pm-agent' }, { clock });
    };
    await send('info', 'oldest info', 0);
    await send('warning', 'old warning', 1);
    await send('question', 'recent question', 30);
    await send('info', 'newest info', 47);
    clock.set('2024-01-17T00:00:00Z'); // 48 h after the first
    return { layout, clock };
  }

  it('lists newest first, parsed back, and filters by type', async () => {
    const { layout } = await fleetOfMessages();
    const all = await listMessages(layout);
    expect(all.map((m) => m.title)).toEqual(['newest info', 'recent question', 'old warning', 'oldest info']);
    expect(all[0]).toMatchObject({
      type: 'info',
      time: '2024-01-16T23:00:00Z',
      from: 'pm-agent',
      body: 'newest info body',
    });
    expect((await listMessages(layout, { type: 'info' })).map((m) => m.title)).toEqual(['newest info', 'oldest info']);
  });

  it('ignores dot-files and other files in the folder, and an absent folder', async () => {
    const { layout } = await fleetOfMessages();
    await fs.writeFile(path.join(layout.messages, 'README.txt'), 'not a message');
    await fs.writeFile(path.join(layout.messages, '.warning-x.md.abc.tmp'), '# ⚠️ half');
    expect(await listMessages(layout)).toHaveLength(4);
    expect(await listMessages(layoutFor(tempDir()))).toEqual([]);
  });

  it('clears by age (older than N hours) and by type, and counts what it removed', async () => {
    const { layout, clock } = await fleetOfMessages();
    expect(await clearMessages(layout, { olderThanHours: 24 }, { clock })).toBe(2);
    expect((await listMessages(layout)).map((m) => m.title)).toEqual(['newest info', 'recent question']);
    expect(await clearMessages(layout, { type: 'info' }, { clock })).toBe(1);
    expect((await listMessages(layout)).map((m) => m.title)).toEqual(['recent question']);
    expect(await clearMessages(layout, {}, { clock })).toBe(1);
    expect(await mdFiles(layout.messages)).toEqual([]);
    await expect(clearMessages(layout, { olderThanHours: -1 }, { clock })).rejects.toThrow(/olderThanHours/);
  });
});
