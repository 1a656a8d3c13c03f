import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { withLock } from '../core/lock.js';
import { pruneWorktrees } from './prune.js';
import { gitRun } from './run.js';
import { uncommittedPaths } from './workState.js';
import { findWorktree } from './worktreeList.js';

/**
 * A spare worktree: a detached checkout made ahead of time (while the agent
 * works on its current run), so the agent's next run starts by moving it into
 * place instead of waiting for git to write every file of the repository.
 * Nobody ever works in a spare; one that is not clean is discarded.
 *
 * Runs overlap (a run ends while the previous one's spare is still being
 * made, a killed runner's git goes on, two runs of one agent), so a spare is
 * only ever seen whole: it is made under a name of its own (`makingPath`),
 * moved to the spare's path when complete, and taken by moving it away. Both
 * moves happen under the spare's lock, so exactly one run takes a spare, and
 * nobody runs git inside a half-made one.
 */

/** Lock held for a rename or a removal only: a few seconds at most. */
const LOCK = { waitMs: 60_000 };

/**
 * Move the spare to `target`, checked out at `startSha`. Returns false (and
 * discards a spare that is unusable) when there is none to take: the caller
 * then creates the worktree the usual way.
 */
export async function takeSpare(root: string, spare: string, target: string, startSha: string): Promise<boolean> {
  if (!existsSync(spare)) return false;
  const taken = await withLock(
    spare,
    async () => {
      if (!existsSync(spare)) return false;
      const entry = await findWorktree(root, spare);
      if (!entry || entry.missing || entry.locked !== undefined) {
        await discardWorktree(root, spare);
        return false;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      if ((await gitRun(root, ['worktree', 'move', spare, target], { allowFail: true })).code === 0) return true;
      await discardWorktree(root, spare);
      return false;
    },
    LOCK,
  );
  if (!taken) return false;
  // Ours alone now. A spare whose checkout was cut short has files missing or extra: not usable.
  const usable =
    (await uncommittedPaths(target)).length === 0 &&
    (await gitRun(target, ['checkout', '--detach', '--quiet', startSha], { allowFail: true })).code === 0;
  if (!usable) await discardWorktree(root, target);
  return usable;
}

/**
 * Check out a new spare at `startRef`, unless a usable one is already there.
 * The checkout is made at `makingPath` (unique to the caller) and moved to
 * `spare` only once complete.
 */
export async function prepareSpare(
  root: string,
  spare: string,
  startRef: string,
  makingPath = `${spare}-${randomUUID().slice(0, 8)}`,
): Promise<'created' | 'kept'> {
  if (await usableSpareHeld(root, spare)) return 'kept';
  if (existsSync(makingPath)) await discardWorktree(root, makingPath);
  await fs.mkdir(path.dirname(makingPath), { recursive: true });
  const added = await gitRun(root, ['worktree', 'add', '--detach', '--quiet', makingPath, startRef], {
    allowFail: true,
  });
  if (added.code !== 0) {
    await discardWorktree(root, makingPath);
    throw new Error(`git worktree add ${makingPath} failed: ${added.stderr.trim()}`);
  }
  const placed = await withLock(
    spare,
    async () => {
      if (existsSync(spare)) return false; // another run made one meanwhile
      return (await gitRun(root, ['worktree', 'move', makingPath, spare], { allowFail: true })).code === 0;
    },
    LOCK,
  );
  if (placed) return 'created';
  await discardWorktree(root, makingPath);
  return 'kept';
}

/** A clean, registered spare is there; an unusable one is discarded. Under the lock, so nobody takes it meanwhile. */
async function usableSpareHeld(root: string, spare: string): Promise<boolean> {
  if (!existsSync(spare)) return false;
  return withLock(
    spare,
    async () => {
      if (!existsSync(spare)) return false;
      const entry = await findWorktree(root, spare);
      if (entry && !entry.missing && entry.locked === undefined && (await uncommittedPaths(spare)).length === 0)
        return true;
      await discardWorktree(root, spare);
      return false;
    },
    LOCK,
  );
}

/** A spare holds no work by construction: remove it whatever state it is in. */
async function discardWorktree(root: string, dir: string): Promise<void> {
  await gitRun(root, ['worktree', 'remove', '--force', '--force', dir], { allowFail: true });
  await fs.rm(dir, { recursive: true, force: true });
  await pruneWorktrees(root);
}
