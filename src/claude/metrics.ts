import type { RunRecord } from './record.js';

/** What a run cost and did, for the ledger and the budgets. */
export interface RunMetrics {
  costUsd: number;
  tokens: { input: number; output: number; cache_read: number; cache_creation: number };
  turns: number;
  /** Wall clock, start to exit. */
  durationMs: number;
  /** Time spent waiting on the API, as the client measured it. */
  apiDurationMs?: number;
  sessionId?: string;
  model?: string;
  toolUses: number;
  apiRetries: number;
  /** Tool calls the permission rules refused: a sign the role's allowedTools are too narrow. */
  permissionDenials: Array<{ tool: string; input?: unknown }>;
}

export type MetricsInput = Pick<RunRecord, 'durationMs' | 'counters' | 'streamUsage'> &
  Partial<Pick<RunRecord, 'result' | 'sessionId' | 'init'>>;

export function extractMetrics(run: MetricsInput): RunMetrics {
  const r = run.result;
  // modelUsage covers every request the client made (its side requests too),
  // like total_cost_usd does; `usage` covers the conversation only and reads
  // zero when the budget limit cut a turn short. Without a result, fall back
  // to what the assistant events carried.
  const perModel = Object.values(r?.modelUsage ?? {});
  let tokens: RunMetrics['tokens'];
  if (perModel.length > 0) {
    tokens = { input: 0, output: 0, cache_read: 0, cache_creation: 0 };
    for (const m of perModel) {
      tokens.input += m.inputTokens ?? 0;
      tokens.output += m.outputTokens ?? 0;
      tokens.cache_read += m.cacheReadInputTokens ?? 0;
      tokens.cache_creation += m.cacheCreationInputTokens ?? 0;
    }
  } else {
    const u = r?.usage ?? run.streamUsage;
    tokens = {
      input: u.input_tokens ?? 0,
      output: u.output_tokens ?? 0,
      cache_read: u.cache_read_input_tokens ?? 0,
      cache_creation: u.cache_creation_input_tokens ?? 0,
    };
  }
  const sessionId = r?.session_id ?? run.sessionId;
  const model = run.init?.model ?? Object.keys(r?.modelUsage ?? {})[0];
  return {
    costUsd: r?.total_cost_usd ?? 0,
    tokens,
    turns: r?.num_turns ?? run.counters.assistantMessages,
    durationMs: run.durationMs,
    ...(r?.duration_api_ms === undefined ? {} : { apiDurationMs: r.duration_api_ms }),
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(model === undefined ? {} : { model }),
    toolUses: run.counters.toolUses,
    apiRetries: run.counters.apiRetries,
    permissionDenials: (r?.permission_denials ?? []).map((d) => ({
      tool: d.tool_name,
      ...(d.tool_input === undefined ? {} : { input: d.tool_input }),
    })),
  };
}
