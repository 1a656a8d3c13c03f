import { readdirSync } from 'node:fs';
import { readAgentState } from '../../agents/state.js';
import type { Layout } from '../../core/paths.js';
import type { Emit } from './taskTracker.js';

/**
 * Turns rewrites of an agent's `state.json` into `agent.state`, and into
 * `run.started` when the run it records is a new one. The runner and the tick
 * rewrite the file several times per run (client group, outcome), so it
 * remembers each agent's current run id.
 */
export class AgentTracker {
  private readonly running = new Map<string, string | undefined>();

  constructor(
    private readonly layout: Layout,
    private readonly emit: Emit,
  ) {}

  async seed(): Promise<void> {
    let names: string[] = [];
    try {
      names = readdirSync(this.layout.agents);
    } catch {
      // No agent has run yet.
    }
    for (const agent of names) {
      const state = await readAgentState(this.layout, agent).catch(() => undefined);
      this.running.set(agent, state?.running?.run_id);
    }
  }

  async onState(agent: string): Promise<void> {
    // A file that does not parse (mid-edit by hand) is reported by status and doctor, not here.
    const state = await readAgentState(this.layout, agent).catch(() => undefined);
    if (!state) return;
    const run = state.running;
    const before = this.running.get(agent);
    this.running.set(agent, run?.run_id);
    this.emit('agent.state', {
      agent,
      running: run ? { run_id: run.run_id, task_id: run.task_id ?? null, started_at: run.started_at } : null,
      last_outcome: state.last_outcome ? { kind: state.last_outcome.kind, reason: state.last_outcome.reason } : null,
    });
    if (run && run.run_id !== before) {
      this.emit('run.started', { agent, run_id: run.run_id, task_id: run.task_id ?? null, started_at: run.started_at });
    }
  }
}
