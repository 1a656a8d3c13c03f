import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { validateConfig } from '../config/validate/validate.js';
import { isMissing } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { type GhNeed, ghNeed } from '../review/ghNeed.js';

/**
 * The project's answer to "does the tick need gh?" (review/ghNeed.ts, the
 * rule doctor follows). Read synchronously, as setup plans without awaiting;
 * an agents.yaml that does not validate is taken at its defaults.
 */
export function projectGhNeed(layout: Layout): GhNeed {
  let text = '';
  try {
    text = readFileSync(layout.agentsYaml, 'utf8');
  } catch (err) {
    // No agents.yaml (an uninstall after .orchestrator/ is gone): the defaults.
    if (!isMissing(err)) throw err;
  }
  const review = validateConfig(text, layout.agentsYaml).config?.review ?? {
    backend: 'auto' as const,
    remote: 'origin',
  };
  return ghNeed(review, review.backend !== 'local' && remotes(layout.root).includes(review.remote));
}

function remotes(root: string): string[] {
  try {
    return execFileSync('git', ['remote'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((r) => r.trim());
  } catch {
    // Not a git work tree, or no git: no remote, so no need for gh (doctor checks git itself).
    return [];
  }
}
