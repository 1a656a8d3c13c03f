import { git } from './run.js';

/**
 * Files tickfleet itself writes into a task worktree. They are not the
 * agent's work: they never make a worktree dirty and are never committed.
 */
export const TICKFLEET_FILES = ['.agent-instructions.md', '.claude/commands/'] as const;

export function isTickfleetFile(file: string): boolean {
  return TICKFLEET_FILES.some((f) => (f.endsWith('/') ? file.startsWith(f) || file === f.slice(0, -1) : file === f));
}

/** Pathspecs that leave tickfleet's files out of `git add`. */
export const EXCLUDE_TICKFLEET_PATHSPECS = TICKFLEET_FILES.map((f) => `:(exclude)${f.replace(/\/$/, '')}`);

export interface Commit {
  sha: string;
  subject: string;
}

export interface WorkState {
  /** Paths with uncommitted changes (staged, unstaged or untracked), tickfleet's own files left out. */
  uncommitted: string[];
  /** Commits on HEAD that `base` does not have. */
  commitsAhead: number;
  head: string;
  /** Those commits, newest first. */
  commits: Commit[];
}

/**
 * Paths `git status` reports, tickfleet's files left out. Read-only: with
 * GIT_OPTIONAL_LOCKS=0 status does not take the index lock, so it never gets
 * in the way of a process still working in the tree.
 */
export async function uncommittedPaths(worktree: string, options: { untracked?: boolean } = {}): Promise<string[]> {
  const untracked = options.untracked === false ? '-uno' : '-uall';
  const out = await git(worktree, ['status', '--porcelain=v1', '-z', untracked], { env: { GIT_OPTIONAL_LOCKS: '0' } });
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i] ?? '';
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    // A rename or copy is followed by its source path as a separate field.
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return paths.filter((p) => !isTickfleetFile(p));
}

export async function inspectWork(worktree: string, options: { base: string }): Promise<WorkState> {
  const head = await git(worktree, ['rev-parse', 'HEAD']);
  const log = await git(worktree, ['log', '--format=%H%x1f%s', `${options.base}..HEAD`]);
  const commits =
    log === ''
      ? []
      : log.split('\n').map((line) => {
          const [sha = '', subject = ''] = line.split('\x1f');
          return { sha, subject };
        });
  return { uncommitted: await uncommittedPaths(worktree), commitsAhead: commits.length, head, commits };
}
