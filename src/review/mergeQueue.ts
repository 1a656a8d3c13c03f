import { promises as fs } from 'node:fs';
import path from 'node:path';
import { nanoid } from 'nanoid';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';
import { isInside } from '../git/paths.js';
import { pruneWorktrees } from '../git/prune.js';
import { rebaseOnto } from '../git/rebase.js';
import { type GitIdentity, git, gitRun, revParse } from '../git/run.js';
import { listWorktrees } from '../git/worktreeList.js';
import { advanceBase, checkedOutIn, type DirtyBase, dirtyBase } from './advanceBase.js';
import type { EffectFence } from './backend.js';
import { runTestCommand } from './testCommand.js';

export interface MergeRequest {
  branch: string;
  base: string;
  /** Merge only if the branch still points here (the commit that was reviewed). */
  expectedHead?: string;
  /** The project's test command; none = merge without testing. */
  testCommand?: string;
  testTimeoutMs?: number;
  /** Committer of the rebased commits. */
  identity?: GitIdentity;
  /**
   * The lease of the task whose run asks for the merge: checked before the
   * tests start, and held across the base's advance only (a ref update), never
   * across the test run.
   */
  fence?: EffectFence;
  /**
   * Called once the merge is this one's turn and its checks passed, before
   * the rebase and the test run: the moment the branch is being merged
   * (the local review marks its task `merging` here).
   */
  onMerging?: () => Promise<void>;
  /** How long to wait for the merge before this one (default 1 hour). */
  waitMs?: number;
  clock?: Clock;
}

export type MergeRefusal =
  | 'missing'
  | 'branch_moved'
  | 'conflict'
  | 'tests_failed'
  | 'dirty_base'
  | 'base_moved'
  /** The merge queue is held (the base fails its tests alone): the branch waits, approved and unblamed. */
  | 'held'
  | 'error';

export type MergeResult =
  | { merged: true; head: string; previous: string; testLog?: string }
  | { merged: false; code: MergeRefusal; reason: string; conflicts?: string[]; testLog?: string; dirty?: DirtyBase };

const DEFAULT_TEST_TIMEOUT_MS = 30 * 60_000;

export function mergeQueueDir(layout: Layout): string {
  return path.join(layout.dir, 'merge-queue');
}

/**
 * Merge one branch into the base through the serialized merge queue: in a
 * scratch detached worktree, rebase it onto the current base, run the test
 * command, and only if green fast-forward the base (see advanceBase). A
 * conflict or a red test leaves the branch exactly as it was.
 */
export async function mergeBranch(layout: Layout, request: MergeRequest): Promise<MergeResult> {
  const lock = path.join(layout.locks, 'merge-queue');
  return withLock(lock, () => mergeLocked(layout, request), { waitMs: request.waitMs ?? 60 * 60_000 });
}

async function mergeLocked(layout: Layout, req: MergeRequest): Promise<MergeResult> {
  const root = layout.root;
  const tip = await revParse(root, `refs/heads/${req.branch}`);
  if (!tip) return { merged: false, code: 'missing', reason: `branch ${req.branch} does not exist` };
  if (req.expectedHead && tip !== req.expectedHead) {
    return {
      merged: false,
      code: 'branch_moved',
      reason: `${req.branch} is at ${tip.slice(0, 12)}, not the reviewed ${req.expectedHead.slice(0, 12)}; submit it again for review`,
    };
  }
  const baseSha = await revParse(root, `refs/heads/${req.base}`);
  if (!baseSha) return { merged: false, code: 'missing', reason: `base branch ${req.base} does not exist` };
  // Refuse early rather than after a long test run.
  const holder = await checkedOutIn(root, req.base);
  const blocked = holder && (await dirtyBase(holder, req.base));
  if (blocked) return { merged: false, code: 'dirty_base', reason: blocked.reason, dirty: blocked };

  // A run that lost its task does not even start the tests.
  await req.fence?.(async () => undefined);
  await req.onMerging?.();

  const scratchDir = mergeQueueDir(layout);
  await clearScratch(root, scratchDir);
  const scratch = path.join(scratchDir, `wt-${nanoid(8)}`);
  await fs.mkdir(scratchDir, { recursive: true });
  await git(root, ['worktree', 'add', '--detach', '--quiet', scratch, tip]);
  try {
    const rebased = await rebaseOnto(scratch, { onto: baseSha, ...(req.identity ? { identity: req.identity } : {}) });
    if (!rebased.ok) {
      const code = rebased.reason === 'conflict' ? 'conflict' : 'error';
      return {
        merged: false,
        code,
        reason: `${req.branch} does not rebase onto ${req.base}: ${rebased.message}`,
        conflicts: rebased.conflicts,
      };
    }
    let testLog: string | undefined;
    if (req.testCommand) {
      const stamp = isoSeconds((req.clock ?? systemClock).now()).replace(/[:]/g, '');
      testLog = path.join(layout.logs, 'merge', `${stamp}-${req.branch.replace(/[^A-Za-z0-9._-]+/g, '-')}.log`);
      const run = await runTestCommand({
        cwd: scratch,
        command: req.testCommand,
        timeoutMs: req.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
        log: testLog,
      });
      if (!run.ok) {
        const how = run.timedOut
          ? `timed out after ${req.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS} ms`
          : `exited ${run.code ?? run.signal}`;
        return {
          merged: false,
          code: 'tests_failed',
          reason: `tests on ${req.branch} rebased onto ${req.base} ${how}; see ${testLog}`,
          testLog,
        };
      }
    }
    const advance = () =>
      advanceBase(root, { base: req.base, from: baseSha, to: rebased.head, message: `tickfleet: merge ${req.branch}` });
    const advanced = req.fence ? await req.fence(advance) : await advance();
    if (!advanced.ok) {
      const { code, reason } = advanced;
      return {
        merged: false,
        code,
        reason,
        ...(advanced.code === 'dirty_base' ? { dirty: advanced } : {}),
        ...(testLog ? { testLog } : {}),
      };
    }
    await settleBranch(root, req.branch, tip, rebased.head);
    return { merged: true, head: rebased.head, previous: baseSha, ...(testLog ? { testLog } : {}) };
  } finally {
    // Nothing in the scratch tree is unique: its commits are in the base or are copies of the branch.
    await gitRun(root, ['worktree', 'remove', '--force', scratch], { allowFail: true });
  }
}

/**
 * Point the merged branch at what was merged, so it reads as merged; skipped
 * when the branch is checked out somewhere or moved meanwhile.
 */
async function settleBranch(root: string, branch: string, from: string, to: string): Promise<void> {
  if (from === to || (await checkedOutIn(root, branch))) return;
  await gitRun(root, ['update-ref', '-m', 'tickfleet: merged', `refs/heads/${branch}`, to, from], { allowFail: true });
}

/** Scratch worktrees left by a merge that was killed. */
async function clearScratch(root: string, scratchDir: string): Promise<void> {
  for (const entry of await listWorktrees(root)) {
    if (isInside(entry.path, scratchDir))
      await gitRun(root, ['worktree', 'remove', '--force', entry.path], { allowFail: true });
  }
  await pruneWorktrees(root);
}
