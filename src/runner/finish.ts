import { updateAgentState } from '../agents/state.js';
import { isFleetProblem } from '../claude/outcome.js';
import { isoSeconds } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { writeLedgerRecord } from '../ledger/ledger.js';
import type { LedgerRecord } from '../ledger/record.js';

/**
 * The last step of every run, whatever happened: one ledger record, and the
 * agent's state cleared of this run (only if it is still this run: a tick may
 * have given up on it and started another). A rate or usage limit or a dead
 * endpoint neither ends nor extends a failure streak: it says nothing of the agent.
 */
export async function recordRunEnd(layout: Layout, record: LedgerRecord, success: boolean): Promise<void> {
  await writeLedgerRecord(layout, record);
  await updateAgentState(layout, record.agent, (state) => {
    if (state.running && state.running.run_id !== record.run_id) return undefined;
    delete state.running;
    state.last_finished_at = record.finished_at;
    state.last_outcome = {
      run_id: record.run_id,
      kind: record.outcome,
      reason: record.reason,
      finished_at: record.finished_at,
      ...(record.task_id ? { task_id: record.task_id } : {}),
    };
    // A fleet problem (a limit, a dead endpoint) and a lost lease (a person cancelled the task, or
    // reconcile gave it to another run) say nothing about this agent: they do not lengthen its streak.
    if (success) state.consecutive_failures = 0;
    else if (!isFleetProblem(record.outcome) && record.outcome !== 'lease_lost') state.consecutive_failures += 1;
    return state;
  });
}

/** The runner records its own pid and start time as soon as it is up. */
export async function recordRunnerStarted(
  layout: Layout,
  agent: string,
  runId: string,
  pid: number,
  start: string,
  now: Date,
): Promise<void> {
  await updateAgentState(layout, agent, (state) => {
    if (!state.running || state.running.run_id !== runId) {
      // Started by hand (no tick recorded it): record the run so status shows it.
      state.running = { run_id: runId, started_at: isoSeconds(now) };
      state.last_started_at = isoSeconds(now);
    }
    state.running.pid = pid;
    state.running.pid_start = start;
    return state;
  });
}
