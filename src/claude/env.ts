import type { PermissionMode } from '../config/agentsConfig.js';

/**
 * The client's environment: ours, minus what would make it believe it runs
 * inside another Claude Code session, plus the agent's identity and the
 * variables its caller hands in (ports, tickfleet paths, `claude.env`).
 */

/**
 * Set by a Claude Code session for the processes it starts (its Bash tool,
 * hooks, MCP servers). A client that inherits them reports a wrong entrypoint,
 * treats itself as a child session or tries to reach the parent's IDE port;
 * the client itself deletes CLAUDECODE, CLAUDE_CODE_SESSION_ID and
 * CLAUDE_CODE_CHILD_SESSION before it starts a nested `claude`.
 */
export const NESTED_SESSION_VARS = [
  'CLAUDECODE',
  'CLAUDE_CODE_ENTRYPOINT',
  'CLAUDE_CODE_SESSION_ID',
  'CLAUDE_CODE_CHILD_SESSION',
  'CLAUDE_CODE_EXECPATH',
  'CLAUDE_CODE_SSE_PORT',
  'CLAUDE_EFFORT',
  'AI_AGENT',
] as const;

export interface AgentIdentity {
  name: string;
  email: string;
}

export interface ClaudeEnvOptions {
  /** The environment to start from; default `process.env`. */
  base?: NodeJS.ProcessEnv;
  /** Author and committer of the agent's commits, so history shows which agent wrote what. */
  identity?: AgentIdentity;
  /** Ports, tickfleet variables, the user's `claude.env`: applied last, they win. */
  extra?: Record<string, string>;
  /** The effective permission mode. */
  permissionMode?: PermissionMode;
  /** The client's argv: `--dangerously-skip-permissions` there counts as bypassPermissions. */
  args?: readonly string[];
  /** Default: whether this process runs as root. */
  isRoot?: boolean;
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function bypassesPermissions(options: ClaudeEnvOptions): boolean {
  if (options.permissionMode === 'bypassPermissions') return true;
  const args = options.args ?? [];
  if (args.includes('--dangerously-skip-permissions')) return true;
  const i = args.indexOf('--permission-mode');
  return i >= 0 && args[i + 1] === 'bypassPermissions';
}

export function buildClaudeEnv(options: ClaudeEnvOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base ?? process.env)) {
    if (value !== undefined) env[key] = value;
  }
  for (const key of NESTED_SESSION_VARS) delete env[key];
  // The client refuses bypassPermissions as root ("cannot be used with
  // root/sudo privileges") unless IS_SANDBOX=1 says the machine is a
  // throwaway sandbox. We say so only in exactly that case, and never pass an
  // inherited IS_SANDBOX through to a run that does not need it.
  delete env.IS_SANDBOX;
  if (bypassesPermissions(options) && (options.isRoot ?? runningAsRoot())) env.IS_SANDBOX = '1';
  if (options.identity) {
    env.GIT_AUTHOR_NAME = options.identity.name;
    env.GIT_AUTHOR_EMAIL = options.identity.email;
    env.GIT_COMMITTER_NAME = options.identity.name;
    env.GIT_COMMITTER_EMAIL = options.identity.email;
  }
  return { ...env, ...options.extra };
}
