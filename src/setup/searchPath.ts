import path from 'node:path';
import { which } from '../core/which.js';
import type { GhNeed } from '../review/ghNeed.js';

// Setup's checks and their tests look tools up through this module.
export { which };

/** The tools a tick starts, and what breaks without each. */
export const TICK_TOOLS = [
  { name: 'claude', why: 'the tick could not start any agent' },
  { name: 'git', why: 'the tick could not create worktrees, commit or push' },
  { name: 'gh', why: 'pull requests could not be opened (review back end `github`)' },
] as const;

/**
 * cron runs with PATH=/usr/bin:/bin and launchd with little more; the PATH we
 * install replaces it, so it ends with the usual system folders that `sh`,
 * `ps` and friends live in.
 */
export const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];

export interface TickPath {
  /** The PATH value to install. */
  value: string;
  /** Tool name → where it was found now. */
  found: Record<string, string>;
  /** One line per tool not found, saying what the tick could not do. */
  warnings: string[];
}

/**
 * The PATH the tick gets: node's folder first (so anything that spawns `node`
 * gets this one), then the folders `claude`, `git` and `gh` are found in now,
 * then the system folders; duplicates dropped, first place kept. A missing gh
 * is worth a warning only when the project's reviews go to GitHub (`gh`, from
 * review/ghNeed.ts, the rule doctor follows); without it, as if they did.
 */
export function tickPath(node: string, searchPath: string | undefined, gh?: GhNeed): TickPath {
  const found: Record<string, string> = {};
  const warnings: string[] = [];
  const dirs = [path.dirname(node)];
  for (const tool of TICK_TOOLS) {
    const at = which(tool.name, searchPath);
    if (at === undefined) {
      if (tool.name === 'gh' && gh?.level === 'unneeded') continue;
      const why = tool.name === 'gh' && gh ? `${gh.why}, so ${gh.without}` : tool.why;
      warnings.push(
        `${tool.name} not found on PATH: ${why}; install it (or add its folder to PATH) and run setup again`,
      );
      continue;
    }
    found[tool.name] = at;
    dirs.push(path.dirname(at));
  }
  dirs.push(...SYSTEM_DIRS);
  return { value: [...new Set(dirs)].join(path.delimiter), found, warnings };
}
