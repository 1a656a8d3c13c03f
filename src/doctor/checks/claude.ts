import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { apiBaseUrl, connectTarget, type EndpointProbe, probeEndpoint, shownUrl } from '../../claude/endpoint.js';
import { buildClaudeEnv } from '../../claude/env.js';
import { credentialSource, endpointProblem, isClaudeCode } from '../../claude/startable.js';
import type { Layout } from '../../core/paths.js';
import { firstLine } from '../../process/firstLine.js';
import type { ClientSetup } from '../clientSetups.js';
import type { Finding, ResolvedDeps } from '../finding.js';

/** Variables that carry a credential the client accepts; only their names are ever shown. */
const KEY_VARS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

/** The client each setup names resolves and `--version` runs, with the environment a run would get. */
export async function checkClient(layout: Layout, setup: ClientSetup, deps: ResolvedDeps): Promise<Finding> {
  const label = `claude.command ${JSON.stringify(setup.command)}${who(setup)}`;
  const env = buildClaudeEnv({ base: deps.env, extra: setup.env });
  const [name = 'claude', ...rest] = setup.command;
  const resolved = name.includes('/') ? executable(path.resolve(layout.root, name)) : deps.which(name, env.PATH);
  if (!resolved) {
    return {
      check: 'claude',
      severity: 'error',
      found: `${label}: ${name} ${name.includes('/') ? 'does not exist or is not executable' : 'not found on PATH'}`,
      fix: "install the client (npm i -g @anthropic-ai/claude-code) or set claude.command in agents.yaml to its absolute path (a cron tick does not have your shell's PATH)",
    };
  }
  const result = await deps.run(resolved, [...rest, '--version'], { env, timeoutMs: 60_000, cwd: layout.root });
  if (result.missing || result.exitCode !== 0) {
    return {
      check: 'claude',
      severity: 'error',
      found: `${label}: \`${resolved} --version\` failed (exit ${result.exitCode}): ${firstLine(result.stderr || result.stdout, { orElse: 'no output' })}`,
      fix: 'reinstall the client, or point claude.command at one that runs',
    };
  }
  return {
    check: 'claude',
    severity: 'ok',
    found: `${label} → ${resolved}: ${firstLine(result.stdout, { orElse: 'no output' })}`,
  };
}

/**
 * What the client will authenticate with. A key or a base URL in the
 * environment or claude.env wins; else a login in the client's config dir.
 * Names and file paths only: never a value.
 */
export function checkCredentials(setup: ClientSetup, deps: ResolvedDeps): Finding {
  const where = (name: string) => (setup.env[name] !== undefined ? 'claude.env' : 'the environment');
  const has = (name: string) => (setup.env[name] ?? deps.env[name] ?? '').trim() !== '';
  const keys = KEY_VARS.filter(has);
  const base = has('ANTHROPIC_BASE_URL')
    ? `ANTHROPIC_BASE_URL (${where('ANTHROPIC_BASE_URL')}) → ${host(setup.env.ANTHROPIC_BASE_URL ?? deps.env.ANTHROPIC_BASE_URL ?? '')}`
    : '';
  if (keys.length > 0 || base) {
    const parts = [...keys.map((k) => `${k} set (${where(k)})`), ...(base ? [base] : [])];
    return { check: 'credentials', severity: 'ok', found: `${parts.join('; ')}${who(setup)}` };
  }
  const configDir = setup.env.CLAUDE_CONFIG_DIR ?? deps.env.CLAUDE_CONFIG_DIR ?? path.join(deps.home, '.claude');
  const file = path.join(configDir, '.credentials.json');
  // The same reading of the client's files as status and the dry run (a login, an apiKeyHelper, a Console key).
  const source = credentialSource({ ...deps.env, ...setup.env }, deps.home);
  if (source) return { check: 'credentials', severity: 'ok', found: `${source}${who(setup)}` };
  const fix =
    'log in as the user the tick runs as (`claude`, then /login), or set ANTHROPIC_API_KEY in claude.env in agents.yaml';
  if (deps.platform === 'darwin') {
    return {
      check: 'credentials',
      severity: 'warn',
      found: `no API key in the environment or claude.env and no ${file}; on macOS a login is kept in the Keychain, which this cannot see${who(setup)}`,
      fix: `if runs fail with 401: ${fix}`,
    };
  }
  return {
    check: 'credentials',
    severity: 'error',
    found: `no credentials: none of ${[...KEY_VARS, 'ANTHROPIC_BASE_URL'].join(', ')} is set and there is no ${file}${who(setup)}`,
    fix,
  };
}

function who(setup: ClientSetup): string {
  return setup.agents.length > 0 ? ` (agents: ${setup.agents.join(', ')})` : '';
}

function executable(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    // Missing or not executable: the answer is no, and the finding says what was looked for.
    return undefined;
  }
}

/** The URL's host only: a URL may carry a user and password. */
function host(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Does anything answer at the API endpoint the client will use
 * (ANTHROPIC_BASE_URL from claude.env or the environment, else the public
 * API)? A TCP connect with a short timeout: it sends nothing. Skipped for a
 * command that stands in for the client.
 */
export async function checkEndpoint(
  setup: ClientSetup,
  deps: ResolvedDeps,
  probe: (url: string) => Promise<EndpointProbe> = (url) => probeEndpoint(url),
): Promise<Finding | undefined> {
  if (!isClaudeCode(setup.command)) return undefined;
  const env = { ...deps.env, ...setup.env };
  const target = connectTarget(apiBaseUrl(env), env);
  const result = await probe(target.url);
  const problem = endpointProblem(result, env, target.via);
  if (problem)
    return { check: 'endpoint', severity: 'error', found: `${problem.reason}${who(setup)}`, fix: problem.fix };
  return {
    check: 'endpoint',
    severity: 'ok',
    found: `${shownUrl(apiBaseUrl(env))} answers${target.via ? ` (through the proxy ${target.via})` : ''}${who(setup)}`,
  };
}
