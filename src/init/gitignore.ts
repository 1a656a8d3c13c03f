import path from 'node:path';
import { promises as fs } from 'node:fs';
import { readIfExists } from '../core/atomicFile.js';
import type { Layout } from '../core/paths.js';
import type { InitItem } from './types.js';

export const GITIGNORE_HEADER = '# tickfleet runtime state (added by `tickfleet init`)';

/**
 * Runtime state only. agents.yaml, commands/, prompts/ and the task and
 * proposal queues stay committed: they are the shared state people read,
 * review and edit (seed 001's layout).
 */
export const GITIGNORE_ENTRIES = [
  '/.orchestrator/agents/',
  '/.orchestrator/runs/',
  '/.orchestrator/logs/',
  '/.orchestrator/messages/',
  '/.orchestrator/locks/',
  // The lock target and proper-lockfile's `<target>.lock` folder beside it.
  '/.orchestrator/scheduler.lock*',
  '/.orchestrator/fleet.json',
  '/.orchestrator/shared/.tmp/',
  // Temp files of atomic writes interrupted by a crash.
  '/.orchestrator/**/.*.tmp',
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
  await fs.appendFile(file, separator + lines.join('\n') + '\n');
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
