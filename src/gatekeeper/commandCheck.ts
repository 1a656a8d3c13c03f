import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { pruneWorktrees } from '../git/prune.js';
import { removeWorktree } from '../git/remove.js';
import { git, gitRun } from '../git/run.js';
import { runTestCommand } from '../review/testCommand.js';
import { checkLogFile, headDir, writeVerdict } from './store.js';
import type { CheckVerdict } from './verdict.js';

export interface CommandCheckSpec {
  subject: string;
  branch: string;
  head: string;
  check: string;
  required: boolean;
  command: string;
  timeoutMs: number;
  /** Where the head is fetched from when this repository lacks it (a PR pushed from elsewhere, github back end). */
  remote?: string;
}

const FETCH_TIMEOUT_MS = 120_000;
/** Lines of the command's output kept as the verdict's evidence. */
const TAIL_LINES = 40;
/** `sh` says 127 when the command is not found: the check could not run, which is not the branch's fault. */
const NOT_FOUND = 127;

/**
 * Run one check's command in a detached worktree of the branch's head (never
 * the branch itself, which may move meanwhile), in its own process group cut
 * off at the timeout, and record the verdict: exit 0 passes, any other code
 * fails; a command that is missing or timed out is an `error`, never a pass.
 * No model, no cost. The worktree goes afterwards; the log stays beside the verdict.
 */
export async function runCommandCheck(
  layout: Layout,
  spec: CommandCheckSpec,
  clock: Clock = systemClock,
): Promise<CheckVerdict> {
  const wt = path.join(headDir(layout, spec.subject, spec.head), `${spec.check}.worktree`);
  const log = checkLogFile(layout, spec.subject, spec.head, spec.check);
  const base = {
    check: spec.check,
    branch: spec.branch,
    head: spec.head,
    required: spec.required,
    by: { command: spec.command },
  };
  let verdict: CheckVerdict;
  try {
    await haveCommit(layout.root, spec);
    await freshWorktree(layout.root, wt, spec.head);
    const ran = await runTestCommand({ cwd: wt, command: spec.command, timeoutMs: spec.timeoutMs, log });
    const output_tail = await tail(log);
    const at = isoSeconds(clock.now());
    if (ran.timedOut) {
      verdict = {
        ...base,
        verdict: 'error',
        summary: `\`${spec.command}\` ran past ${Math.round(spec.timeoutMs / 60_000)} min and was stopped`,
        findings: [],
        output_tail,
        at,
      };
    } else if (ran.code === NOT_FOUND) {
      verdict = {
        ...base,
        verdict: 'error',
        summary: `\`${spec.command}\` could not run: command not found (exit 127)`,
        findings: [],
        output_tail,
        at,
      };
    } else if (ran.ok) {
      verdict = { ...base, verdict: 'pass', summary: `\`${spec.command}\` passed`, findings: [], output_tail, at };
    } else {
      verdict = {
        ...base,
        verdict: 'fail',
        summary: `\`${spec.command}\` failed (exit ${ran.code ?? ran.signal})`,
        findings: [],
        output_tail,
        at,
      };
    }
  } catch (err) {
    verdict = {
      ...base,
      verdict: 'error',
      summary: `the check could not run: ${(err as Error).message.split('\n')[0]}`,
      findings: [],
      at: isoSeconds(clock.now()),
    };
  } finally {
    // Best effort: a worktree left behind is replaced by the next run of this check.
    await removeWorktree(layout.root, wt, { force: true }).catch(() => undefined);
  }
  await writeVerdict(layout, spec.subject, verdict);
  return verdict;
}

/** A PR's head may have been pushed from elsewhere: fetch its branch when the commit is not here yet. */
async function haveCommit(root: string, spec: CommandCheckSpec): Promise<void> {
  const has = async () =>
    (await gitRun(root, ['cat-file', '-e', `${spec.head}^{commit}`], { allowFail: true })).code === 0;
  if (!spec.remote || (await has())) return;
  await git(root, ['fetch', '--quiet', '--no-tags', spec.remote, `refs/heads/${spec.branch}`], {
    timeoutMs: FETCH_TIMEOUT_MS,
  });
  if (!(await has())) throw new Error(`${spec.head.slice(0, 12)} is not on ${spec.remote}/${spec.branch} any more`);
}

async function freshWorktree(root: string, wt: string, head: string): Promise<void> {
  // A killed earlier run may have left its worktree: start clean.
  await removeWorktree(root, wt, { force: true });
  await fs.rm(wt, { recursive: true, force: true });
  await pruneWorktrees(root);
  await fs.mkdir(path.dirname(wt), { recursive: true });
  await git(root, ['worktree', 'add', '--detach', '--quiet', wt, head]);
}

async function tail(file: string): Promise<string> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
}
