import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentConfig } from '../config/agentsConfig.js';
import { which } from '../core/which.js';
import { apiBaseUrl, connectTarget, type EndpointProbe, probeEndpoint, shownUrl } from './endpoint.js';

/**
 * Would an agent's client start at all? Three causes make every run fail
 * before the model says a word: the command is not there, the client has no
 * credentials, or nothing listens at its API endpoint. Checked here, once,
 * for `config check`, `scheduler --dry-run`, `status` and `doctor`. The
 * plain tick asks only for the binary (a few stat calls): it must not probe
 * the network every minute, and it must not hold agents back on a guess
 * about credentials.
 */

export type ClientProblemKind = 'binary' | 'credentials' | 'endpoint';

export interface ClientProblem {
  kind: ClientProblemKind;
  /** What is wrong, in one line. */
  reason: string;
  /** What to do about it, in one line. */
  fix: string;
}

export interface StartCheckOptions {
  /** The project root: a relative claude.command is resolved against it. */
  root: string;
  /** `binary` for the tick; `full` adds credentials and an endpoint probe. */
  depth: 'binary' | 'full';
  /** The environment the runner starts from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default os.homedir(). */
  home?: string;
  /** Default process.platform (on macOS a login lives in the Keychain, which cannot be seen). */
  platform?: NodeJS.Platform;
  probe?: (url: string) => Promise<EndpointProbe>;
}

/** Credential variables the client reads, or that hand authentication to a cloud provider. */
export const CREDENTIAL_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
] as const;

/** The client's environment as a run gets it, for what this module reads (no identity, no ports). */
export function clientEnv(
  agent: Pick<AgentConfig, 'claude'>,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  return { ...base, ...agent.claude.env };
}

/** The Claude Code client itself, rather than a stand-in (a test fixture, another CLI): only it needs a key and an endpoint. */
export function isClaudeCode(command: readonly string[]): boolean {
  const [first = ''] = command;
  return (
    ['claude', 'claude.exe'].includes(path.basename(first)) ||
    command.some((part) => part.includes('@anthropic-ai/claude-code'))
  );
}

/** Where the command would be found, or why it would not. */
export function resolveClientBinary(
  command: readonly string[],
  env: Record<string, string | undefined>,
  root: string,
): { path: string } | { problem: ClientProblem } {
  const [name] = command;
  if (name === undefined || name === '')
    return { problem: { kind: 'binary', reason: 'claude.command is empty', fix: 'set claude.command in agents.yaml' } };
  const found = name.includes('/') ? executable(path.resolve(root, name)) : which(name, env.PATH);
  if (found) return { path: found };
  return {
    problem: {
      kind: 'binary',
      reason: `client ${name} ${name.includes('/') ? 'does not exist or is not executable' : 'not found on PATH'}`,
      fix: "install the client (npm i -g @anthropic-ai/claude-code) or set claude.command in agents.yaml to its absolute path (a cron tick does not have your shell's PATH)",
    },
  };
}

/**
 * What the client would authenticate with, in words (names and paths, never
 * a value), or undefined when nothing is found. A base URL counts: a gateway
 * may authenticate on the client's behalf.
 */
export function credentialSource(env: Record<string, string | undefined>, home: string): string | undefined {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const vars = CREDENTIAL_VARS.filter(set);
  if (vars.length > 0) return `${vars.join(', ')} set`;
  if (set('ANTHROPIC_BASE_URL')) return `ANTHROPIC_BASE_URL set (${shownUrl(env.ANTHROPIC_BASE_URL ?? '')})`;
  const configDir = env.CLAUDE_CONFIG_DIR?.trim() || path.join(home, '.claude');
  const login = path.join(configDir, '.credentials.json');
  if (existsSync(login)) return `logged in: ${login} exists`;
  const settings = readJson(path.join(configDir, 'settings.json'));
  if (typeof settings?.apiKeyHelper === 'string') return `apiKeyHelper in ${path.join(configDir, 'settings.json')}`;
  // A key from a Console login is kept in the client's global config file.
  const global = env.CLAUDE_CONFIG_DIR?.trim() ? path.join(configDir, '.claude.json') : path.join(home, '.claude.json');
  if (typeof readJson(global)?.primaryApiKey === 'string') return `an API key in ${global}`;
  return undefined;
}

export function credentialsProblem(
  env: Record<string, string | undefined>,
  home: string,
  platform: NodeJS.Platform,
): ClientProblem | undefined {
  // A macOS login lives in the Keychain: not seeing a file proves nothing there.
  if (platform === 'darwin' || credentialSource(env, home) !== undefined) return undefined;
  const configDir = env.CLAUDE_CONFIG_DIR?.trim() || path.join(home, '.claude');
  return {
    kind: 'credentials',
    reason: `the client has no credentials: none of ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN is set and there is no login in ${configDir}`,
    fix: 'log in as the user the tick runs as (`claude`, then /login), or set ANTHROPIC_API_KEY in claude.env in agents.yaml',
  };
}

export function endpointProblem(
  probe: EndpointProbe,
  env: Record<string, string | undefined>,
  via?: string,
): ClientProblem | undefined {
  if (probe.ok) return undefined;
  const from = via
    ? `the proxy (HTTPS_PROXY) ${via} of the API endpoint`
    : (env.ANTHROPIC_BASE_URL ?? '').trim() === ''
      ? 'the default endpoint'
      : 'ANTHROPIC_BASE_URL';
  return {
    kind: 'endpoint',
    reason: `nothing answers at ${from}${via ? '' : ` ${probe.url}`}: ${probe.reason}`,
    fix: 'start the server behind ANTHROPIC_BASE_URL, or fix it (environment or claude.env in agents.yaml); check the network; `tickfleet doctor` probes it again',
  };
}

/**
 * The first problem of each agent whose client would not start; agents
 * without one are left out. Probes each distinct endpoint once, side by side.
 */
export async function clientStartProblems(
  agents: readonly AgentConfig[],
  options: StartCheckOptions,
): Promise<Record<string, ClientProblem>> {
  const base = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const platform = options.platform ?? process.platform;
  const probe = options.probe ?? ((url: string) => probeEndpoint(url));
  const probes = new Map<string, Promise<EndpointProbe>>();
  const binaries = new Map<string, ReturnType<typeof resolveClientBinary>>();
  const problems: Record<string, ClientProblem> = {};
  await Promise.all(
    agents.map(async (agent) => {
      const env = clientEnv(agent, base);
      const key = JSON.stringify([agent.claude.command, env.PATH]);
      const binary = binaries.get(key) ?? resolveClientBinary(agent.claude.command, env, options.root);
      binaries.set(key, binary);
      if ('problem' in binary) {
        problems[agent.name] = binary.problem;
        return;
      }
      if (options.depth === 'binary' || !isClaudeCode(agent.claude.command)) return;
      const credentials = credentialsProblem(env, home, platform);
      if (credentials) {
        problems[agent.name] = credentials;
        return;
      }
      const target = connectTarget(apiBaseUrl(env), env);
      if (!probes.has(target.url)) probes.set(target.url, probe(target.url));
      const endpoint = endpointProblem(await probes.get(target.url)!, env, target.via);
      if (endpoint) problems[agent.name] = endpoint;
    }),
  );
  return problems;
}

function executable(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    // Missing or not executable: the answer is no, and the problem says what was looked for.
    return undefined;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    // Missing or not JSON: no credentials there, which is what the caller reports.
    return undefined;
  }
}
