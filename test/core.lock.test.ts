import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, type HeldLock, LockBusyError } from '../src/core/lock.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { taskQueue } from '../src/tasks/folders.js';
import { findTask } from '../src/tasks/list.js';
import { DIST, ensureQueueModulesBuilt } from './fixtures/tasks/build.js';
import { tempLayout } from './fixtures/tasks/project.js';

const HOLDER = fileURLToPath(new URL('./fixtures/tasks/lockHolder.mjs', import.meta.url));

/** A process holding the lock on `target`; resolves once it says it holds it. */
function holdLock(target: string, mode: 'tickfleet' | 'plain'): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOLDER, DIST, target, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve(child));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`holder exited (code ${code}): ${stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(ensureQueueModulesBuilt, 120_000);

describe('a process killed inside a lock', () => {
  it('the next taker finds the holder dead and takes the queue lock at once: one try, no waiting for staleness', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const child = await holdLock(target, 'tickfleet');
    // While the holder lives, one try finds the lock held.
    await expect(acquireLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    await killed(child);
    expect(existsSync(`${target}.lock`)).toBe(true); // SIGKILL left the lock behind, fresh
    const lock = await acquireLock(target, { waitMs: 0 });
    expect(lock.takenOverFrom?.pid).toBe(child.pid);
    await lock.release();
    // The queue works on: an enqueue takes the lock as usual.
    const task = await enqueueTask(layout, { title: 'after the kill', role: 'implement', created_by: 'test' });
    expect((await findTask(layout, task.id)).state).toBe('incoming');
    expect(existsSync(`${target}.lock`)).toBe(false);
  });

  it("many waiters racing for a dead holder's lock: exactly one takes it", async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    await killed(await holdLock(target, 'tickfleet'));
    const tries = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(target, { waitMs: 0 })));
    const won = tries.filter((t): t is PromiseFulfilledResult<HeldLock> => t.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const t of tries) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(LockBusyError);
    await won[0]!.value.release();
  });

  it('a lock that names no holder still waits for its mtime to go stale (the fallback)', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    await killed(await holdLock(target, 'plain'));
    expect(readdirSync(`${target}.lock`)).toEqual([]);
    await expect(acquireLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    const lock = await acquireLock(target, { waitMs: 20_000, staleMs: 2_000 });
    expect(lock.takenOverFrom).toBeUndefined();
    await lock.release();
  });

  it('the holder file goes with the lock: a released lock leaves nothing behind', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const lock = await acquireLock(target);
    expect(readdirSync(`${target}.lock`).filter((n) => n.startsWith('holder-'))).toHaveLength(1);
    await lock.release();
    expect(readdirSync(path.dirname(target))).toEqual([]);
  });
});
