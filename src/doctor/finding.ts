import type { EndpointProbe } from '../claude/endpoint.js';
import type { Clock } from '../core/clock.js';
import type { CommandResult, CommandRunner } from '../process/command.js';

export type Severity = 'ok' | 'warn' | 'error';

/** One thing doctor looked at: what it found and, unless all is well, what to do. */
export interface Finding {
  /** Short name of the check: node, git, claude, credentials, gh, tick, lock, worktree, ... */
  check: string;
  severity: Severity;
  found: string;
  fix?: string;
}

// Injected so tests decide what `gh auth status` says.
export type { CommandResult, CommandRunner };

/** Everything doctor reads from the machine rather than the project. */
export interface DoctorDeps {
  /** Environment: PATH, credentials, CLAUDE_CONFIG_DIR. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where a command name is found on a PATH; default a `which`. */
  which?: (name: string, searchPath: string | undefined) => string | undefined;
  run?: CommandRunner;
  clock?: Clock;
  /** Home folder (for ~/.claude). Default os.homedir(). */
  home?: string;
  /** Default process.versions.node. */
  nodeVersion?: string;
  /** Default: whether this process runs as root. */
  isRoot?: boolean;
  /** Default process.platform (a macOS login lives in the Keychain, not a file). */
  platform?: NodeJS.Platform;
  /** Is anything listening at this API URL? Default a TCP connect (claude/endpoint.ts). */
  probe?: (url: string) => Promise<EndpointProbe>;
  /** How a person runs tickfleet in this project, for the commands in fixes; default tickfleetInvocation(root). */
  invocation?: string;
}

export type ResolvedDeps = Required<DoctorDeps>;
