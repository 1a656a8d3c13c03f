import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentConfig, Config } from '../config/agentsConfig.js';
import { ExitError, ignoreMissing } from '../core/errors.js';
import { type Layout, packageRoot, scratchPathFor, spareWorktreePath, worktreePathFor } from '../core/paths.js';
import { hasRemote, resolveBaseBranch } from '../git/base.js';
import { isAncestor } from '../git/branch.js';
import { mergeInto } from '../git/merge.js';
import { git } from '../git/run.js';
import { createTaskWorktree, type TaskWorktree } from '../git/worktree.js';
import { selectReviewBackend } from '../review/select.js';
import { ROLE_SPECS } from '../roles/registry.js';
import type { Workspace } from '../run/context.js';
import { AGENT_CLI, installCommandFiles } from '../slash/install.js';
import type { Task } from '../tasks/task.js';
import { agentIdentity } from './agentEnv.js';
import { BookkeepingError } from './bookkeeping.js';
import { INSTRUCTIONS_FILE } from './instructions.js';

/**
 * A worktree per task, so a retry finds the previous attempt's worktree (and
 * its work) again; a fresh one per run for roles without a task. A role that
 * never explores the code (its `workspace` in the role table is `scratch`)
 * gets an empty scratch folder instead.
 */
export async function prepareWorkspace(
  layout: Layout,
  config: Config,
  agent: AgentConfig,
  runId: string,
  task?: Task,
): Promise<Workspace> {
  const base = task?.branch ?? (await resolveBaseBranch(layout.root, config.review.base_branch));
  const remote = (await hasRemote(layout.root, config.review.remote)) ? config.review.remote : undefined;
  const mergesLocally = remote !== undefined && (await reviewsLocally(layout, config));
  if (ROLE_SPECS[agent.role].workspace === 'scratch') {
    const cwd = scratchPathFor(layout, agent.name, runId);
    await fs.mkdir(cwd, { recursive: true });
    return { cwd, base, ...(remote ? { remote } : {}) };
  }
  let worktree: TaskWorktree;
  try {
    worktree = await createTaskWorktree(layout.root, {
      path: worktreePathFor(layout, agent.name, task?.id ?? runId),
      base,
      ...(remote ? { remote } : {}),
      ...(mergesLocally ? { preferLocalBase: true } : {}),
      ...(task?.wip_branch ? { startFrom: task.wip_branch } : {}),
      ...(config.scheduler.spare_worktrees ? { spare: spareWorktreePath(layout, agent.name) } : {}),
    });
    await excludeGeneratedFiles(worktree.path);
  } catch (err) {
    // Making the worktree is tickfleet's bookkeeping: its failure is not the task's.
    throw new BookkeepingError(`worktree setup: ${(err as Error).message}`, { cause: err });
  }
  await installCommandFiles(layout, {
    kind: 'agent',
    targetDir: path.join(worktree.path, '.claude', 'commands'),
    cliCommand: AGENT_CLI,
  });
  const conflicts = worktree.from === 'base' ? [] : await refreshFromBase(worktree, agent, base);
  return {
    cwd: worktree.path,
    worktree,
    base,
    ...(remote ? { remote } : {}),
    ...(mergesLocally ? { mergesLocally } : {}),
    ...(conflicts.length ? { conflicts } : {}),
  };
}

/**
 * Whether approved work is merged into this repository's base by the local
 * review queue (never pushed): then the local base is newer than the remote's
 * after a merge. A github back end that cannot work says so at delivery.
 */
async function reviewsLocally(layout: Layout, config: Config): Promise<boolean> {
  try {
    return (await selectReviewBackend(layout.root, config.review)).backend.kind === 'local';
  } catch (err) {
    if (err instanceof ExitError) return false;
    throw err;
  }
}

/**
 * An earlier attempt's work is continued on top of the current base: merge the
 * base in now, while the agent is there to resolve any conflict, instead of
 * finding the conflict again only when delivering.
 */
async function refreshFromBase(worktree: TaskWorktree, agent: AgentConfig, base: string): Promise<string[]> {
  if (await isAncestor(worktree.path, worktree.baseSha, 'HEAD')) return [];
  const merged = await mergeInto(worktree.path, {
    from: worktree.baseSha,
    identity: agentIdentity(agent),
    message: `Merge ${base} into ${path.basename(worktree.path)}`,
    leaveConflicts: true,
  });
  return merged.ok ? [] : merged.conflicts;
}

const EXCLUDE_MARK = '# tickfleet: files it generates in agent worktrees';

/**
 * Keep the instructions file and the agent slash commands out of the model's
 * `git add -A`. They go into the repository's shared info/exclude (never the
 * project's .gitignore), naming only what tickfleet writes.
 */
async function excludeGeneratedFiles(worktree: string): Promise<void> {
  const excludeFile = path.resolve(worktree, await git(worktree, ['rev-parse', '--git-path', 'info/exclude']));
  const current = (await fs.readFile(excludeFile, 'utf8').catch(ignoreMissing)) ?? '';
  if (current.includes(EXCLUDE_MARK)) return;
  const shipped = (await fs.readdir(path.join(packageRoot(), 'slash-commands', 'agent'))).filter((f) =>
    f.endsWith('.md'),
  );
  const lines = [EXCLUDE_MARK, `/${INSTRUCTIONS_FILE}`, ...shipped.map((f) => `/.claude/commands/${f}`)];
  await fs.mkdir(path.dirname(excludeFile), { recursive: true });
  await fs.appendFile(excludeFile, `${(current === '' || current.endsWith('\n') ? '' : '\n') + lines.join('\n')}\n`);
}

/** Whether a role's run leaves a branch to deliver. */
export function deliversBranch(agent: AgentConfig): boolean {
  return ROLE_SPECS[agent.role].producesBranch;
}
