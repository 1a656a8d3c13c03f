import path from 'node:path';
import type { StreamItem } from './events.js';
import type { StreamSummary } from './summary.js';

/** What `runClaude` takes, and the record it returns. */

export interface RunClaudeOptions {
  /** argv prefix of the client, e.g. ["claude"] or ["node", "fake.mjs"]. */
  command: string[];
  args: string[];
  cwd: string;
  env: Record<string, string>;
  prompt: string;
  transcriptPath: string;
  /** Default: next to the transcript, `<name>.stderr.log`. */
  stderrPath?: string;
  /** Wall-clock limit; 0 or Infinity = none. */
  timeoutMs: number;
  /** Kill when no stream event (api_retry excluded) came for this long; 0 or Infinity = none. */
  stallMs: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** How long the client may keep running after its result event. Default 5000. */
  resultGraceMs?: number;
  onEvent?: (item: StreamItem) => void;
  /** Called once the client started, with its pid (= its process group id). */
  onSpawn?: (pid: number) => void;
  /** Aborting kills the run's group. */
  signal?: AbortSignal;
}

export interface RunRecord extends StreamSummary {
  command: string[];
  cwd: string;
  /** The limits the run was held to. */
  timeoutMs: number;
  stallMs: number;
  pid?: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The client could not be started (not found, not executable, bad cwd). */
  spawnError?: string;
  timedOut: boolean;
  stalled: boolean;
  aborted: boolean;
  /** Still running `resultGraceMs` after its result event. */
  lingered: boolean;
  /** Processes of its group were still alive after the client exited. */
  leftovers: boolean;
  /** We signalled the group (any of the above). */
  killedGroup: boolean;
  /** SIGTERM was not enough. */
  sigkilled: boolean;
  /** The first error thrown by `onEvent` or `onSpawn` (supervision carries on). */
  callbackError?: string;
  /** Writing the transcript failed (the run was still supervised to its end). */
  transcriptError?: string;
  transcriptPath: string;
  stderrPath: string;
  /** The last few KB of stderr. */
  stderrTail: string;
}

export function defaultStderrPath(transcriptPath: string): string {
  const base = path.basename(transcriptPath).replace(/\.jsonl?$/, '');
  return path.join(path.dirname(transcriptPath), `${base}.stderr.log`);
}
