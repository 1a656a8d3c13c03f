import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Layout, TASK_STATES, taskDir } from '../src/core/paths.js';
import { serializeTask } from '../src/tasks/format.js';
import { listTasks } from '../src/tasks/list.js';
import { queueStatus } from '../src/tasks/queueCounts.js';
import { DIST, ensureQueueModulesBuilt } from './fixtures/tasks/build.js';
import { namesIn, tempLayout } from './fixtures/tasks/project.js';
import { tempDir } from './helpers/tmp.js';

const WRITER = fileURLToPath(new URL('./fixtures/tasks/writer.mjs', import.meta.url));

/**
 * When to kill: on the writer's word that its n-th step begins (the kill lands
 * while it takes the lock), or on the filesystem's word (inotify) that a temp
 * file appeared (mid-write: before the fsync and rename) or that a file arrived
 * in claimed/ (mid-move: before the folders are synced).
 */
type Trigger = { on: 'step' | 'temp' | 'move'; nth: number };

/** Start the writer and SIGKILL it at the trigger; resolve with the lines it printed. */
function killMidWrite(layout: Layout, mode: 'moves' | 'tasks', template: string, trigger: Trigger): Promise<string[]> {
  for (const dir of [layout.tmp, taskDir(layout, 'claimed')]) mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, DIST, layout.root, mode, template], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let seen = 0;
    const count = (): void => {
      if (++seen === trigger.nth) child.kill('SIGKILL');
    };
    const watched = trigger.on === 'step' ? undefined : trigger.on === 'temp' ? layout.tmp : taskDir(layout, 'claimed');
    const watcher =
      watched === undefined
        ? undefined
        : watch(watched, (_event, name) => {
            if (trigger.on === 'move' || name?.endsWith('.tmp')) count();
          });
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
      if (trigger.on === 'step') for (const l of parts) if (l.startsWith('begin')) count();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      watcher?.close();
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve(lines);
    });
  });
}

/** A valid task whose body ends in END, with placeholders the writer fills in. */
function template(): string {
  const file = path.join(tempDir(), 'template.md');
  const text = serializeTask({
    id: '__ID__',
    title: 'written by a writer that gets killed',
    role: 'implement',
    priority: 'P2',
    created: '2026-01-01T00:00:00Z',
    created_by: 'writer',
    blocked_by: [],
    expedite: false,
    attempts: 0,
    max_attempts: 3,
    body: `\n${'lorem ipsum dolor sit amet\n'.repeat(300)}__STEP__\nEND\n`,
    state: 'incoming',
    file: '',
  });
  writeFileSync(file, text);
  return file;
}

/** The layouts written to, the ids each writer reported written, and how many kills hit a writer inside the queue lock. */
async function killMany(
  mode: 'moves' | 'tasks',
  kills: number,
): Promise<{ layouts: Layout[]; reported: Set<string>[]; insideLock: number }> {
  // Independent lanes, one project each, so the kills keep every CPU busy.
  const lanes = Math.max(4, Math.min(8, 2 * os.availableParallelism()));
  const layouts = Array.from({ length: lanes }, () => tempLayout());
  const reported = layouts.map(() => new Set<string>());
  const tmpl = template();
  let next = 0;
  let insideLock = 0;
  await Promise.all(
    layouts.map(async (layout, lane) => {
      for (let i = next++; i < kills; i = next++) {
        // Every kind of trigger, in the 1st to 3rd step or write, so each kind of write gets cut.
        const trigger: Trigger = { on: (['temp', 'move', 'step'] as const)[i % 3]!, nth: 1 + (Math.floor(i / 3) % 3) };
        const lines = await killMidWrite(layout, mode, tmpl, trigger);
        for (const line of lines) if (line.startsWith('enqueued ')) reported[lane]!.add(line.slice('enqueued '.length));
        // The dead writer may have held the queue lock (core/tokenLock.ts): its token then bears the
        // writer's hold, which the next taker finds dead and takes over.
        const lock = `${path.join(layout.locks, 'task-queue')}.lock`;
        if (existsSync(lock) && readdirSync(lock).some((n) => n.startsWith('held-'))) insideLock++;
      }
    }),
  );
  return { layouts, reported, insideLock };
}

async function expectNoPartialTask(layouts: Layout[], reported: Set<string>[]): Promise<void> {
  for (const [lane, layout] of layouts.entries()) {
    for (const state of TASK_STATES) {
      expect(namesIn(layout, state).filter((n) => n.startsWith('.'))).toEqual([]); // no temp file in a queue folder
    }
    const { tasks, problems } = await listTasks(layout);
    expect(problems).toEqual([]); // every listed file parses...
    expect(namesIn(layout, 'quarantine')).toEqual([]);
    for (const t of tasks) expect(t.body.endsWith('END\n'), `${t.file} is cut short`).toBe(true); // ...and is whole
    const ids = tasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length); // never in two folders
    for (const id of reported[lane]!) expect(ids).toContain(id); // never lost once reported written
    expect((await queueStatus(layout)).unreadable).toEqual([]);
    // Killed writes leave temp files only in the scratch folder, which nothing lists.
    expect(readdirSync(layout.tmp).every((n) => n.startsWith('.') && n.endsWith('.tmp'))).toBe(true);
  }
}

beforeAll(ensureQueueModulesBuilt, 120_000);

describe('a writer killed with SIGKILL mid-write', () => {
  it('200 times in the queue write path: no partial task is ever visible', async () => {
    const { layouts, reported, insideLock } = await killMany('moves', 200);
    expect(reported.reduce((n, s) => n + s.size, 0)).toBeGreaterThan(0);
    // The kills really cut writes: many hit a writer holding the lock, and some left a temp file behind.
    expect(insideLock).toBeGreaterThanOrEqual(50);
    expect(layouts.reduce((n, l) => n + readdirSync(l.tmp).length, 0)).toBeGreaterThanOrEqual(5);
    await expectNoPartialTask(layouts, reported);
  });

  it('10 times inside the task transitions (enqueue, update, claim, complete): the same holds', async () => {
    const { layouts, reported, insideLock } = await killMany('tasks', 10);
    expect(insideLock).toBeGreaterThan(0);
    await expectNoPartialTask(layouts, reported);
  });
});
