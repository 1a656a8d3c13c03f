import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import type { InitItem } from './actions.js';

export const GITIGNORE_HEADER = '# tickfleet runtime state (added by `tickfleet init`)';

/**
 * Everything under .orchestrator/ is runtime state except the files a team
 * commits: agents.yaml, global-instructions.md, prompts/ and commands/. The
 * queues are runtime state too: every claim moves a file, and tracked queue
 * files would keep the user's working copy dirty (which also blocks the merge
 * queue's fast-forward) and copy stale queue snapshots into every worktree.
 * Order matters: the negations must follow the folder-wide ignore.
 */
export const GITIGNORE_ENTRIES = [
  '/.orchestrator/*',
  '!/.orchestrator/agents.yaml',
  '!/.orchestrator/global-instructions.md',
  '!/.orchestrator/prompts/',
  '!/.orchestrator/commands/',
  // Generated into each agent worktree, at any depth.
  '.agent-instructions.md',
] as const;

/** Append the entries the host .gitignore lacks; an entry already there (with or without the leading '/') is not repeated. */
export async function ensureGitignore(layout: Layout): Promise<InitItem> {
  const file = path.join(layout.root, '.gitignore');
  const existing = (await readIfExists(file)) ?? '';
  const present = new Set(existing.split(/\r?\n/).map(normalise));
  const missing = GITIGNORE_ENTRIES.filter((entry) => !present.has(normalise(entry)));
  if (missing.length === 0) return { path: '.gitignore', kind: 'gitignore', action: 'unchanged' };
  const lines = [...(present.has(normalise(GITIGNORE_HEADER)) ? [] : [GITIGNORE_HEADER]), ...missing];
  const separator = existing === '' ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  // Append in place: keeps the file's mode, owner and any symlink.
  await fs.appendFile(file, `${separator + lines.join('\n')}\n`);
  return {
    path: '.gitignore',
    kind: 'gitignore',
    action: existing === '' ? 'created' : 'appended',
    detail: `${missing.length} entr${missing.length === 1 ? 'y' : 'ies'}`,
  };
}

function normalise(line: string): string {
  return line.trim().replace(/^\//, '');
}
