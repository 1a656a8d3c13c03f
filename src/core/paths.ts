import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Task queue folders. `quarantine` holds files that could not be read. */
export const TASK_STATES = ['incoming', 'claimed', 'done', 'failed'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const PROPOSAL_STATES = ['active', 'promoted', 'deferred', 'rejected'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/**
 * Where everything lives inside a host project. Every module takes a Layout
 * rather than building paths itself, so tests can point it at a temp dir.
 */
export interface Layout {
  /** The host project's root (the git work tree tickfleet manages). */
  root: string;
  /** `<root>/.orchestrator` */
  dir: string;
  agentsYaml: string;
  globalInstructions: string;
  prompts: string;
  commands: string;
  agents: string;
  runs: string;
  logs: string;
  messages: string;
  shared: string;
  queue: string;
  proposals: string;
  /** Local review queue (review back end `local`). */
  reviews: string;
  /** Scratch space for atomic writes: same filesystem as the queues, never listed. */
  tmp: string;
  /** Locks (`<target>.lock` directories, core/lock.ts). */
  locks: string;
  schedulerLock: string;
  /** Fleet-wide runtime state (quota pause, port slots). */
  fleetState: string;
}

export function layoutFor(root: string): Layout {
  const abs = path.resolve(root);
  const dir = path.join(abs, '.orchestrator');
  const shared = path.join(dir, 'shared');
  return {
    root: abs,
    dir,
    agentsYaml: path.join(dir, 'agents.yaml'),
    globalInstructions: path.join(dir, 'global-instructions.md'),
    prompts: path.join(dir, 'prompts'),
    commands: path.join(dir, 'commands'),
    agents: path.join(dir, 'agents'),
    runs: path.join(dir, 'runs'),
    logs: path.join(dir, 'logs'),
    messages: path.join(dir, 'messages'),
    shared,
    queue: path.join(shared, 'queue'),
    proposals: path.join(shared, 'proposals'),
    reviews: path.join(shared, 'reviews'),
    tmp: path.join(shared, '.tmp'),
    locks: path.join(dir, 'locks'),
    schedulerLock: path.join(dir, 'scheduler.lock'),
    fleetState: path.join(dir, 'fleet.json'),
  };
}

export function taskDir(layout: Layout, state: TaskState | 'quarantine'): string {
  return path.join(layout.queue, state);
}

export function proposalDir(layout: Layout, state: ProposalState | 'quarantine'): string {
  return path.join(layout.proposals, state);
}

export function agentDir(layout: Layout, agent: string): string {
  return path.join(layout.agents, agent);
}

/** `.orchestrator/agents/<agent>/worktrees/<task id or run id>` */
export function worktreePathFor(layout: Layout, agent: string, key: string): string {
  return path.join(agentDir(layout, agent), 'worktrees', key);
}

/** The agent's spare checkout for its next run (`scheduler.spare_worktrees`). */
export function spareWorktreePath(layout: Layout, agent: string): string {
  return worktreePathFor(layout, agent, '.spare');
}

/** Where a run makes the spare before moving it into place whole (see git/spare.ts). */
export function spareMakingPath(layout: Layout, agent: string, runId: string): string {
  return worktreePathFor(layout, agent, `.spare-${runId}`);
}

/** The empty folder a run works in when its role needs no checkout. */
export function scratchPathFor(layout: Layout, agent: string, runId: string): string {
  return path.join(agentDir(layout, agent), 'scratch', runId);
}

/** The package's own root (where templates/, slash-commands/, setup/ live). */
export function packageRoot(): string {
  // dist/core/paths.js -> package root is two levels up.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The built CLI of the package this code runs from: the bundle (scripts/bundle.mjs), which starts fastest. */
export function cliScript(pkgRoot = packageRoot()): string {
  return path.join(pkgRoot, 'dist', 'bundle', 'cli.js');
}
