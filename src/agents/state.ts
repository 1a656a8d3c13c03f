import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { withLock } from '../core/lock.js';
import { agentDir, type Layout } from '../core/paths.js';

/** The run an agent is doing right now, as recorded by the tick that started it. */
export interface RunningRun {
  run_id: string;
  started_at: string;
  /** Runner process; pid_start guards against pid reuse. Absent until spawned. */
  pid?: number;
  pid_start?: string;
  task_id?: string;
  /** The claim's fencing token, so reconcile can fail the task if the runner dies. */
  token?: string;
  /**
   * The client's process group (its leader's pid) and the leader's start
   * time: whoever buries the run kills this group first, and the start time
   * keeps a reused pid from being mistaken for it.
   */
  client_pgid?: number;
  client_start?: string;
}

export interface LastOutcome {
  run_id: string;
  kind: string;
  reason: string;
  finished_at: string;
  task_id?: string;
}

/** `.orchestrator/agents/<name>/state.json`: what the scheduler knows of one agent. */
export interface AgentState {
  last_started_at?: string;
  last_finished_at?: string;
  running?: RunningRun;
  last_outcome?: LastOutcome;
  consecutive_failures: number;
}

export function agentStateFile(layout: Layout, agent: string): string {
  return path.join(agentDir(layout, agent), 'state.json');
}

export async function readAgentState(layout: Layout, agent: string): Promise<AgentState> {
  const state = await readJsonIfExists<AgentState>(agentStateFile(layout, agent));
  return { consecutive_failures: 0, ...state };
}

/**
 * Read-modify-write under the agent's lock: the tick and the agent's runner
 * both update this file. `mutate` returns the new state, or undefined to leave
 * the file as it is.
 */
export async function updateAgentState(
  layout: Layout,
  agent: string,
  mutate: (state: AgentState) => AgentState | undefined,
): Promise<AgentState> {
  const file = agentStateFile(layout, agent);
  return withLock(
    file,
    async () => {
      const current = await readAgentState(layout, agent);
      const next = mutate(structuredClone(current));
      if (next === undefined) return current;
      await writeJsonAtomic(file, next);
      return next;
    },
    { waitMs: 15_000 },
  );
}

/** Record the client's process group on the run, if the run is still this one. */
export async function recordClientGroup(
  layout: Layout,
  agent: string,
  runId: string,
  pgid: number,
  start: string,
): Promise<void> {
  await updateAgentState(layout, agent, (state) => {
    if (state.running?.run_id !== runId) return undefined;
    state.running.client_pgid = pgid;
    state.running.client_start = start;
    return state;
  });
}
