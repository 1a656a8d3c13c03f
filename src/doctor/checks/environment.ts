import { firstLine } from '../../process/firstLine.js';
import type { Finding, ResolvedDeps } from '../finding.js';

export const MIN_NODE = [20, 11] as const;
/** `git worktree move` and `remove`, which runs rely on, came with git 2.17. */
const MIN_GIT = [2, 17] as const;

export function checkNode(version: string): Finding {
  const v = version.replace(/^v/, '');
  const ok = atLeast(v, MIN_NODE);
  return ok
    ? { check: 'node', severity: 'ok', found: `node v${v}` }
    : {
        check: 'node',
        severity: 'error',
        found: `node v${v} is older than ${MIN_NODE.join('.')}`,
        fix: `install Node ${MIN_NODE.join('.')} or newer (e.g. \`nvm install 20\`) and run setup again, so the tick uses it`,
      };
}

export async function checkGit(deps: ResolvedDeps): Promise<Finding> {
  const result = await deps.run('git', ['--version'], { env: plainEnv(deps.env) });
  if (result.missing) return { check: 'git', severity: 'error', found: 'git not found on PATH', fix: 'install git' };
  const version = /(\d+\.\d+(\.\d+)?)/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !version)
    return {
      check: 'git',
      severity: 'error',
      found: `git --version failed: ${firstLine(result.stderr || result.stdout, { orElse: 'no output' })}`,
      fix: 'reinstall git',
    };
  if (!atLeast(version, MIN_GIT))
    return {
      check: 'git',
      severity: 'error',
      found: `git ${version} is older than ${MIN_GIT.join('.')}`,
      fix: `install git ${MIN_GIT.join('.')} or newer`,
    };
  return { check: 'git', severity: 'ok', found: `git ${version}` };
}

function atLeast(version: string, min: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

export function plainEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
