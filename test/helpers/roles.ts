import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { AgentState } from '../../src/agents/state.js';
import { type Clock, localDay } from '../../src/core/clock.js';
import type { Layout } from '../../src/core/paths.js';
import { readLedgerDay } from '../../src/ledger/ledger.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { runTick } from '../../src/scheduler/tick.js';
import { toolUse } from '../../src/scripted-api/dsl.js';
import type { MessageStep, ScriptedRequest } from '../../src/scripted-api/scenario.js';
import { allLogs, runEnded } from './fleet.js';

export { CLI, cli } from './cli.js';

/** A tick as if `seconds` later: the agent that just ran is due again without waiting for its interval. */
export function later(seconds: number): Clock {
  return { now: () => new Date(Date.now() + seconds * 1000) };
}

/** Tick, check that exactly `agent` started, wait for its run to end; its state and ledger record. */
export async function tickRun(
  layout: Layout,
  agent: string,
  clock?: Clock,
): Promise<{ state: AgentState; record: LedgerRecord }> {
  const report = await runTick(layout, clock ? { clock } : {});
  if (!report.ran) throw new Error(report.reason);
  expect(
    report.started.map((s) => s.agent),
    `nothing started: ${JSON.stringify(report.plan.decisions)}`,
  ).toEqual([agent]);
  const runId = report.started[0]!.runId;
  const state = await runEnded(layout, agent);
  expect(state.last_outcome?.run_id, allLogs(layout)).toBe(runId);
  const record = (await readLedgerDay(layout, localDay(new Date()))).find((r) => r.run_id === runId);
  if (!record) throw new Error(`no ledger record for ${runId}\n${allLogs(layout)}`);
  return { state, record };
}

/** The model runs one shell command, as Claude Code's Bash tool takes it. */
export function bash(command: string | ((req: ScriptedRequest) => string)): MessageStep {
  return toolUse('Bash', (req) => ({
    command: typeof command === 'string' ? command : command(req),
    description: 'run a command',
  }));
}

/** The run id stated in the agent's instructions (`- Run: <id>`). */
export function runIdIn(req: ScriptedRequest): string {
  return /^- Run: (\S+)/m.exec(req.firstUserText)?.[1] ?? 'unknown-run';
}

/** Proposal ids in the order the curator's instructions list them (`### PROP-x — title`). */
export function proposalIdsIn(req: ScriptedRequest): string[] {
  return [...req.firstUserText.matchAll(/^### (PROP-[0-9a-f]+) — (.*)$/gm)].map((m) => m[1]!);
}

/** The id of the proposal titled `title` in the curator's instructions. */
export function proposalIdFor(req: ScriptedRequest, title: string): string {
  const m = [...req.firstUserText.matchAll(/^### (PROP-[0-9a-f]+) — (.*)$/gm)].find((x) => x[2] === title);
  if (!m) throw new Error(`no proposal titled ${title} in the prompt`);
  return m[1]!;
}

export interface ToolResultLine {
  isError: boolean;
  content: string;
}

/**
 * The results of a run's tool calls, in order, from its transcript (the
 * client's own stream-json): what the model was told each command did.
 */
export function toolResults(layout: Layout, agent: string, runId: string): ToolResultLine[] {
  const file = path.join(layout.agents, agent, 'transcripts', `${runId}.jsonl`);
  const out: ToolResultLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { type?: string; message?: { content?: unknown } };
    if (event.type !== 'user' || !Array.isArray(event.message?.content)) continue;
    for (const block of event.message.content as { type?: string; content?: unknown; is_error?: boolean }[]) {
      if (block.type !== 'tool_result') continue;
      const content = typeof block.content === 'string' ? block.content : JSON.stringify(block.content);
      out.push({ isError: block.is_error === true, content });
    }
  }
  return out;
}
