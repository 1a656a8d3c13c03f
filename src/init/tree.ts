import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitError, errnoCode } from '../core/errors.js';
import { type Layout, PROPOSAL_STATES, proposalDir, TASK_STATES, taskDir } from '../core/paths.js';
import type { InitItem } from './actions.js';

/** The tree `init` creates: the queues, messages, agents, plus the proposal queue, prompts, runs and logs. */
export function initFolders(layout: Layout): string[] {
  return [
    layout.dir,
    layout.commands,
    layout.prompts,
    layout.agents,
    layout.messages,
    layout.runs,
    layout.logs,
    layout.shared,
    layout.queue,
    ...TASK_STATES.map((s) => taskDir(layout, s)),
    layout.proposals,
    ...PROPOSAL_STATES.map((s) => proposalDir(layout, s)),
  ];
}

/** Create the missing folders; an existing one is not touched (its mtime stays). */
export async function ensureFolders(layout: Layout): Promise<InitItem[]> {
  const items: InitItem[] = [];
  for (const dir of initFolders(layout)) {
    const rel = `${relPath(layout, dir)}/`;
    try {
      await fs.mkdir(dir);
      items.push({ path: rel, kind: 'folder', action: 'created' });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      const stat = await fs.stat(dir);
      if (!stat.isDirectory())
        throw new ExitError(`${dir} exists and is not a folder; move it away and run init again`);
      items.push({ path: rel, kind: 'folder', action: 'unchanged' });
    }
  }
  return items;
}

/** A path relative to the project root, with '/' on every platform. */
export function relPath(layout: Layout, file: string): string {
  return path.relative(layout.root, file).split(path.sep).join('/');
}
