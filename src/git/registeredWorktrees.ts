import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The paths of the linked worktrees git has registered, read straight from
 * `.git/worktrees/<name>/gitdir` (each holds `<worktree>/.git`), without
 * starting git. A tick with nothing to clean up then costs no process spawn.
 * Undefined when the layout is not the plain one (`.git` is a file, as in a
 * submodule or a linked worktree; a missing or odd entry): ask git instead.
 */
export function registeredWorktreePaths(root: string): string[] | undefined {
  const gitDir = path.join(root, '.git');
  try {
    if (!statSync(gitDir).isDirectory()) return undefined;
  } catch {
    return undefined; // no .git to read: git answers instead
  }
  let names: string[];
  try {
    names = readdirSync(path.join(gitDir, 'worktrees'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
  const paths: string[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(path.join(gitDir, 'worktrees', name, 'gitdir'), 'utf8').trim();
    } catch {
      return undefined; // an odd entry: git answers instead
    }
    if (!path.isAbsolute(text) || path.basename(text) !== '.git') return undefined;
    paths.push(path.dirname(text));
  }
  return paths;
}
