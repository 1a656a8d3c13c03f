import path from 'node:path';
import { afterEach } from 'vitest';
import { buildClaudeArgs, type ClaudeArgOptions, type ClaudeArgSettings } from '../../src/claude/args.js';
import { buildClaudeEnv } from '../../src/claude/env.js';
import { classifyOutcome, type Outcome } from '../../src/claude/outcome.js';
import type { RunRecord } from '../../src/claude/record.js';
import { runClaude } from '../../src/claude/supervise.js';
import type { Scenario } from '../../src/scripted-api/scenario.js';
import { type ScriptedApi, scriptedApiEnv, startScriptedApi } from '../../src/scripted-api/server.js';
import { TEST_GIT_ENV, tempDir } from './tmp.js';

/** The real Claude Code client (a dev dependency). */
export const CLAUDE_BIN = path.resolve(import.meta.dirname, '../../node_modules/.bin/claude');

const servers: ScriptedApi[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A scripted API server closed after the current test. */
export async function scriptedApi(scenario: Scenario): Promise<ScriptedApi> {
  const api = await startScriptedApi({ scenario });
  servers.push(api);
  return api;
}

export interface RealRunOptions {
  /** A scenario for a server of this run's own, or `api`: a server shared with other runs. */
  scenario?: Scenario;
  api?: ScriptedApi;
  prompt?: string;
  /** Default: a fresh temp dir (not a git repository). */
  cwd?: string;
  settings?: Partial<ClaudeArgSettings>;
  argOptions?: ClaudeArgOptions;
  /** Extra env; `CLAUDE_CODE_MAX_RETRIES` defaults to 0 so API errors end the run at once. */
  env?: Record<string, string>;
  stallMs?: number;
  timeoutMs?: number;
  requireStructuredOutput?: boolean;
  isRoot?: boolean;
}

export interface RealRun {
  api: ScriptedApi;
  record: RunRecord;
  outcome: Outcome;
  cwd: string;
}

/** One run of the real client against a scripted server, isolated from the user's ~/.claude. */
export async function runRealClaude(options: RealRunOptions): Promise<RealRun> {
  const api = options.api ?? (await scriptedApi(options.scenario ?? (() => Promise.reject(new Error('no scenario')))));
  const cwd = options.cwd ?? tempDir('tickfleet-claude-cwd-');
  const logs = tempDir('tickfleet-claude-logs-');
  const settings: ClaudeArgSettings = { max_turns: 10, extra_args: [], ...options.settings };
  const args = buildClaudeArgs(settings, options.argOptions);
  const env = buildClaudeEnv({
    permissionMode: settings.permission_mode,
    args,
    ...(options.isRoot === undefined ? {} : { isRoot: options.isRoot }),
    identity: { name: TEST_GIT_ENV.GIT_AUTHOR_NAME, email: TEST_GIT_ENV.GIT_AUTHOR_EMAIL },
    extra: {
      ...scriptedApiEnv(api),
      CLAUDE_CONFIG_DIR: path.join(logs, 'claude-config'),
      CLAUDE_CODE_MAX_RETRIES: '0',
      ...options.env,
    },
  });
  const record = await runClaude({
    command: [CLAUDE_BIN],
    args,
    cwd,
    env,
    prompt: options.prompt ?? 'Do the scripted work.',
    transcriptPath: path.join(logs, 'run.jsonl'),
    timeoutMs: options.timeoutMs ?? 30_000,
    stallMs: options.stallMs ?? 20_000,
    killGraceMs: 2_000,
  });
  return {
    api,
    record,
    outcome: classifyOutcome(record, { requireStructuredOutput: options.requireStructuredOutput ?? false }),
    cwd,
  };
}
