import type { Config } from '../../config/agentsConfig.js';
import type { Layout } from '../../core/paths.js';
import { hasRemote } from '../../git/base.js';
import { firstLine } from '../../process/firstLine.js';
import { ghNeed } from '../../review/ghNeed.js';
import type { Finding, ResolvedDeps } from '../finding.js';
import { plainEnv } from './environment.js';

/**
 * gh matters when reviews go to GitHub (review/ghNeed.ts, the rule `setup`
 * follows too): required for `review.backend: github`, worth a warning for
 * `auto` with the remote (it falls back to the local queue without gh).
 */
export async function checkGh(layout: Layout, config: Config, deps: ResolvedDeps): Promise<Finding> {
  // A git that cannot say is the git check's finding; here it counts as no remote.
  const withRemote =
    config.review.backend === 'local' ? false : await hasRemote(layout.root, config.review.remote).catch(() => false);
  const need = ghNeed(config.review, withRemote);
  if (need.level === 'unneeded')
    return {
      check: 'gh',
      severity: 'ok',
      found: `${need.why}: ${config.review.backend === 'local' ? '' : 'reviews wait in the local queue, '}gh is not needed`,
    };
  const bad = need.level === 'required' ? 'error' : 'warn';
  const gh = deps.which('gh', deps.env.PATH);
  if (!gh) {
    return {
      check: 'gh',
      severity: bad,
      found: `${need.why}, but gh is not on PATH: ${need.without}`,
      fix: 'install the GitHub CLI (https://cli.github.com) and `gh auth login`, or set review.backend: local',
    };
  }
  const env = { ...plainEnv(deps.env), GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' };
  const status = await deps.run(gh, ['auth', 'status'], { env, timeoutMs: 30_000, cwd: layout.root });
  const said = `${status.stdout}\n${status.stderr}`;
  if (status.exitCode !== 0) {
    return {
      check: 'gh',
      severity: bad,
      found: `gh at ${gh} is not logged in: ${firstLine(status.stderr || status.stdout, { orElse: 'no output' })}`,
      fix: 'run `gh auth login` as the user the tick runs as (or set GH_TOKEN)',
    };
  }
  // Only the "Logged in to" line: other lines of gh's report show (masked) tokens.
  const account = said
    .split('\n')
    .map((l) => l.replace(/^[\s✓✔*-]+/, '').trim())
    .find((l) => /^Logged in to /.test(l));
  return { check: 'gh', severity: 'ok', found: `gh at ${gh}: ${account ?? 'logged in'}` };
}
