import { existsSync } from 'node:fs';
import { ExitError } from './errors.js';
import { SAFE_ID } from './ids.js';
import { fileOf, type QueueFolders } from './queueFolder.js';

/**
 * Ids given by people and agents name files, so each is checked before it
 * touches the filesystem: no id can escape its folder.
 */

/** Refuse an id that is not a plain file name (`../x`, `a/b`, empty). */
export function checkId(q: QueueFolders<string>, id: string): void {
  if (typeof id !== 'string' || !SAFE_ID.test(id)) {
    throw new ExitError(
      `${JSON.stringify(id)} is not a valid ${q.noun} id: use letters, digits, '-' and '_' only (for example ${q.noun === 'task' ? 'TASK-a1b2c3d4' : 'PROP-a1b2c3d4'})`,
    );
  }
}

/** The folder holding `id`, searching every state in order. */
export function locate<S extends string>(q: QueueFolders<S>, id: string): { state: S; file: string } | undefined {
  checkId(q, id);
  for (const state of q.states) {
    const file = fileOf(q, state, id);
    if (existsSync(file)) return { state, file };
  }
  return undefined;
}
