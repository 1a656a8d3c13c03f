import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskDir } from '../src/core/paths.js';
import { serializeTask } from '../src/tasks/format.js';
import { listTasks } from '../src/tasks/list.js';
import { DIST, ensureQueueModulesBuilt } from './fixtures/tasks/build.js';
import { namesIn, tempLayout } from './fixtures/tasks/project.js';

const CLAIMER = fileURLToPath(new URL('./fixtures/tasks/claimer.mjs', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(ensureQueueModulesBuilt, 120_000);

describe('8 processes claiming from 500 tasks', () => {
  it('claims every task exactly once and loses none', async () => {
    const layout = tempLayout();
    const incoming = taskDir(layout, 'incoming');
    mkdirSync(incoming, { recursive: true });
    const all: string[] = [];
    for (let i = 0; i < 500; i++) {
      const id = `TASK-${i.toString(16).padStart(8, '0')}`;
      all.push(id);
      const text = serializeTask({
        id,
        title: `task ${i}`,
        role: 'implement',
        priority: (['P0', 'P1', 'P2', 'P3'] as const)[i % 4]!,
        created: '2026-01-01T00:00:00Z',
        created_by: 'test',
        blocked_by: [],
        expedite: i % 50 === 0,
        attempts: 0,
        max_attempts: 3,
        body: '\n## Context\n',
        state: 'incoming',
        file: '',
      });
      writeFileSync(path.join(incoming, `${id}.md`), text);
    }

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) => run([CLAIMER, DIST, layout.root, `claimer-${n}`])),
    );
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const perProcess = results.map((r) => JSON.parse(r.stdout) as string[]);
    const claimed = perProcess.flat();

    expect(claimed).toHaveLength(500); // every claim reported once...
    expect(new Set(claimed).size).toBe(500); // ...and no task twice
    expect([...claimed].sort()).toEqual(all);
    expect(namesIn(layout, 'incoming')).toEqual([]);
    expect(namesIn(layout, 'claimed')).toHaveLength(500);
    // The lease in each file names the process that reported the claim.
    const { tasks, problems } = await listTasks(layout);
    expect(problems).toEqual([]);
    const holderOf = new Map(perProcess.flatMap((ids, n) => ids.map((id) => [id, `claimer-${n}`] as const)));
    for (const t of tasks) expect(t.lease?.holder).toBe(holderOf.get(t.id));
    // The work was really shared, not done by one process while the others waited.
    expect(perProcess.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  });
});
