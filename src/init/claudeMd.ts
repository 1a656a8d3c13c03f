import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists } from '../core/atomicFile.js';
import { errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { InitItem } from './actions.js';
import { relPath } from './tree.js';

/** The two lines claude.md needs, and a fragment that tells whether each is already there in some wording. */
export const CLAUDE_MD_LINES = [
  {
    line: 'If .agent-instructions.md exists in this directory, read and follow those instructions.',
    marker: '.agent-instructions.md',
  },
  {
    line: 'Check .orchestrator/messages/ for any agent messages and inform the user of warnings or questions.',
    marker: '.orchestrator/messages',
  },
] as const;

/** The project's instructions file: claude.md in any case at the root, else .claude/CLAUDE.md. */
export async function findClaudeMd(root: string): Promise<string | undefined> {
  for (const dir of [root, path.join(root, '.claude')]) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') continue;
      throw err;
    }
    const found = names.filter((n) => n.toLowerCase() === 'claude.md').sort()[0];
    if (found) return path.join(dir, found);
  }
  return undefined;
}

export interface ClaudeMdState {
  /** undefined when the project has none. */
  file?: string;
  missing: string[];
}

export async function claudeMdState(layout: Layout): Promise<ClaudeMdState> {
  const file = await findClaudeMd(layout.root);
  const text = file === undefined ? '' : ((await readIfExists(file)) ?? '');
  const missing = CLAUDE_MD_LINES.filter((l) => !text.includes(l.marker)).map((l) => l.line);
  return file === undefined ? { missing } : { file, missing };
}

/**
 * Append the missing lines to an existing claude.md when `apply`. A project
 * without one gets a suggestion instead: creating the file would change how
 * Claude Code behaves for every session, which is the user's call.
 */
export async function ensureClaudeMd(layout: Layout, apply: boolean): Promise<InitItem> {
  const state = await claudeMdState(layout);
  if (state.file === undefined) {
    return { path: 'CLAUDE.md', kind: 'claude-md', action: 'suggested', detail: state.missing.join('\n') };
  }
  const rel = relPath(layout, state.file);
  if (state.missing.length === 0) return { path: rel, kind: 'claude-md', action: 'unchanged' };
  if (!apply) return { path: rel, kind: 'claude-md', action: 'skipped', detail: state.missing.join('\n') };
  const text = (await readIfExists(state.file)) ?? '';
  const separator = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  // Append in place rather than replace: claude.md is often a symlink (to AGENTS.md, say) and must stay one.
  await fs.appendFile(state.file, `${separator + state.missing.join('\n\n')}\n`);
  return {
    path: rel,
    kind: 'claude-md',
    action: 'appended',
    detail: `${state.missing.length} line${state.missing.length === 1 ? '' : 's'}`,
  };
}
