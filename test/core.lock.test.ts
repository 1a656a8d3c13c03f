import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, type HeldLock, LockBusyError } from '../src/core/lock.js';
import { acquireTokenLock, withTokenLock } from '../src/core/tokenLock.js';
import { refreshedAt } from '../src/core/tokenLockDir.js';
import { checkLocks } from '../src/doctor/checks/locks.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { taskQueue } from '../src/tasks/folders.js';
import { findTask } from '../src/tasks/list.js';
import { DIST, ensureQueueModulesBuilt } from './fixtures/tasks/build.js';
import { tempLayout } from './fixtures/tasks/project.js';

const HOLDER = fileURLToPath(new URL('./fixtures/tasks/lockHolder.mjs', import.meta.url));

/** A process holding the lock on `target`; resolves once it says it holds it. */
function holdLock(target: string, mode: 'tickfleet' | 'plain' | 'queue'): Promise<ChildProcess> {
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

/** Kill a holder of `target`, then let 8 waiters race for it: exactly one wins, the others find it busy. */
async function expectOneWinner(
  target: string,
  mode: 'tickfleet' | 'queue',
  acquire: (target: string, options: { waitMs: number }) => Promise<HeldLock>,
): Promise<void> {
  await killed(await holdLock(target, mode));
  const tries = await Promise.allSettled(Array.from({ length: 8 }, () => acquire(target, { waitMs: 0 })));
  const won = tries.filter((t): t is PromiseFulfilledResult<HeldLock> => t.status === 'fulfilled');
  expect(won).toHaveLength(1);
  for (const t of tries) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(LockBusyError);
  await won[0]!.value.release();
}

beforeAll(ensureQueueModulesBuilt, 120_000);

describe('a process killed inside a lock', () => {
  it('the next taker finds the holder dead and takes the lock at once: one try, no waiting for staleness', async () => {
    const layout = tempLayout();
    const target = path.join(layout.locks, 'messages');
    const child = await holdLock(target, 'tickfleet');
    // While the holder lives, one try finds the lock held.
    await expect(acquireLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    await killed(child);
    expect(existsSync(`${target}.lock`)).toBe(true); // SIGKILL left the lock behind, fresh
    const lock = await acquireLock(target, { waitMs: 0 });
    expect(lock.takenOverFrom?.pid).toBe(child.pid);
    await lock.release();
    // The lock works on: taken and released as usual, nothing left behind.
    await (await acquireLock(target, { waitMs: 0 })).release();
    expect(existsSync(`${target}.lock`)).toBe(false);
  });

  it("many waiters racing for a dead holder's lock: exactly one takes it", async () => {
    const layout = tempLayout();
    await expectOneWinner(path.join(layout.locks, 'messages'), 'tickfleet', acquireLock);
  });

  it('a lock that names no holder still waits for its mtime to go stale (the fallback)', async () => {
    const layout = tempLayout();
    const target = path.join(layout.locks, 'messages');
    await killed(await holdLock(target, 'plain'));
    expect(readdirSync(`${target}.lock`)).toEqual([]);
    await expect(acquireLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    const lock = await acquireLock(target, { waitMs: 20_000, staleMs: 2_000 });
    expect(lock.takenOverFrom).toBeUndefined();
    await lock.release();
  });

  it('the holder file goes with the lock: a released lock leaves nothing behind', async () => {
    const layout = tempLayout();
    const target = path.join(layout.locks, 'messages');
    const lock = await acquireLock(target);
    expect(readdirSync(`${target}.lock`).filter((n) => n.startsWith('holder-'))).toHaveLength(1);
    await lock.release();
    expect(readdirSync(path.dirname(target))).toEqual([]);
  });
});

describe("a queue's token lock", () => {
  const heldIn = (target: string) => readdirSync(`${target}.lock`).filter((n) => n.startsWith('held-'));

  it('excludes: concurrent read-modify-write cycles under it lose no update', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const counter = path.join(layout.root, 'counter');
    writeFileSync(counter, '0');
    const bump = () =>
      withTokenLock(target, async () => {
        const n = Number(readFileSync(counter, 'utf8'));
        await new Promise((r) => setImmediate(r)); // let the others try meanwhile
        writeFileSync(counter, String(n + 1));
      });
    await Promise.all(Array.from({ length: 200 }, bump));
    expect(readFileSync(counter, 'utf8')).toBe('200');
    // Free again: the folder stays, holding its token alone.
    expect(readdirSync(`${target}.lock`)).toEqual(['token']);
  });

  it('a holder killed inside it is taken over at once, and the queue works on', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const child = await holdLock(target, 'queue');
    await expect(acquireTokenLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    expect(heldIn(target)).toEqual([expect.stringMatching(new RegExp(`^held-${child.pid}\\.`))]);
    await killed(child);
    const lock = await acquireTokenLock(target, { waitMs: 0 });
    expect(lock.takenOverFrom?.pid).toBe(child.pid);
    await lock.release();
    const task = await enqueueTask(layout, { title: 'after the kill', role: 'implement', created_by: 'test' });
    expect((await findTask(layout, task.id)).state).toBe('incoming');
    expect(readdirSync(`${target}.lock`)).toEqual(['token']);
  });

  it("many waiters racing for a dead holder's lock: exactly one takes it", async () => {
    await expectOneWinner(taskQueue(tempLayout()).lockTarget, 'queue', acquireTokenLock);
  });

  it('a take is the rename alone: the hold counts as fresh by its ctime, and doctor finds nothing stale', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    await (await acquireTokenLock(target)).release();
    const token = path.join(`${target}.lock`, 'token');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(token, hourAgo, hourAgo); // the last hold's refresh, long ago
    const lock = await acquireTokenLock(target);
    try {
      const [held] = heldIn(target);
      const st = statSync(path.join(`${target}.lock`, held!));
      expect(Math.abs(st.mtimeMs - hourAgo.getTime())).toBeLessThan(1_000); // no utimes at the take
      expect(Date.now() - refreshedAt(st)).toBeLessThan(5_000); // the rename's ctime
      expect(await checkLocks(layout, new Date())).toEqual([expect.objectContaining({ severity: 'ok' })]);
    } finally {
      await lock.release();
    }
  });

  it('a live holder that stops refreshing is taken over only after a waiter has watched it for the stale time', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const child = await holdLock(target, 'queue');
    child.kill('SIGSTOP'); // alive, but refreshes nothing
    try {
      const started = Date.now();
      const lock = await acquireTokenLock(target, { waitMs: 20_000, staleMs: 2_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
      expect(lock.takenOverFrom).toBeUndefined(); // not dead: stale
      expect(heldIn(target)).toHaveLength(1);
      await lock.release();
    } finally {
      child.kill('SIGCONT');
      await killed(child);
    }
  });

  it('an older tickfleet holding the queue lock as a directory is waited for, and taken over once it is killed', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    const old = await holdLock(target, 'tickfleet'); // the mkdir lock every queue used before
    await expect(acquireTokenLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    expect(readdirSync(`${target}.lock`).some((n) => n.startsWith('holder-'))).toBe(true); // left as it was
    await killed(old);
    const lock = await acquireTokenLock(target, { waitMs: 2_000 });
    expect(lock.takenOverFrom?.pid).toBe(old.pid);
    await lock.release();
    expect(readdirSync(`${target}.lock`)).toEqual(['token']);
  });

  it('a folder left empty (killed between its mkdir and its token) waits until stale, then works on', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    mkdirSync(`${target}.lock`, { recursive: true });
    await expect(acquireTokenLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(`${target}.lock`, minuteAgo, minuteAgo);
    await (await acquireTokenLock(target, { waitMs: 2_000 })).release();
    expect(readdirSync(`${target}.lock`)).toEqual(['token']);
  });

  it('an older tickfleet meeting the token folder never takes it, even once its mtime is stale', async () => {
    const layout = tempLayout();
    const target = taskQueue(layout).lockTarget;
    await (await acquireTokenLock(target)).release();
    await expect(acquireLock(target, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    await expect(acquireLock(target, { waitMs: 3_000, staleMs: 2_000 })).rejects.toBeInstanceOf(LockBusyError);
    expect(readdirSync(`${target}.lock`)).toEqual(['token']);
    await (await acquireTokenLock(target, { waitMs: 0 })).release(); // and it is still ours to take
  });
});
