import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AgentState, readAgentState } from '../../src/agents/state.js';
import { type Layout, layoutFor } from '../../src/core/paths.js';
import { initProject } from '../../src/init/init.js';
import { type ScriptedApi, scriptedApiEnv } from '../../src/scripted-api/server.js';
import { CLAUDE_BIN } from './scriptedApi.js';
import { tempDir, tempRepo } from './tmp.js';

/** A real git project with tickfleet initialised and the given agents.yaml. */
export async function fleetProject(agentsYaml: string, files?: Record<string, string>): Promise<Layout> {
  const root = tempRepo(files);
  const layout = layoutFor(root);
  await initProject(layout, { skills: false, gitignore: true, claudeMd: false });
  writeFileSync(layout.agentsYaml, agentsYaml);
  return layout;
}

/**
 * The `claude:` block of an agents.yaml that runs the real client against a
 * scripted API server, offline, with its own config dir.
 */
export function claudeBlock(
  api: ScriptedApi,
  extra: Record<string, string> = {},
  command: string[] = [CLAUDE_BIN],
): string {
  const env = {
    ...scriptedApiEnv(api),
    CLAUDE_CONFIG_DIR: tempDir('tickfleet-claude-config-'),
    CLAUDE_CODE_MAX_RETRIES: '0',
    ...extra,
  };
  return [
    'claude:',
    `  command: ${JSON.stringify(command)}`,
    '  timeout_minutes: 2',
    '  stall_minutes: 1',
    '  env:',
    ...Object.entries(env).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
  ].join('\n');
}

/** Wait until `check` returns a value (polling the files it reads); fail with `what` after the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait for the agent's current run to end (its runner clears `running`), and return the state. */
export async function runEnded(layout: Layout, agent: string, timeoutMs?: number): Promise<AgentState> {
  return waitFor(
    `${agent}'s run to end`,
    async () => {
      const state = await readAgentState(layout, agent);
      return state.last_finished_at && !state.running ? state : undefined;
    },
    timeoutMs,
  );
}

/** Every log file of the project, for failure messages. */
export function allLogs(layout: Layout): string {
  if (!existsSync(layout.logs)) return '(no logs)';
  return readdirSync(layout.logs, { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => `--- ${f.name}\n${readFileSync(path.join(layout.logs, f.name), 'utf8')}`)
    .join('\n');
}

export function writeExecutable(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o755 });
  return file;
}
