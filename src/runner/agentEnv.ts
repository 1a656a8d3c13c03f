import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../config/agentsConfig.js';
import { ignoreMissing } from '../core/errors.js';
import { agentDir, cliScript, type Layout } from '../core/paths.js';
import { shellQuote } from '../process/shellQuote.js';
import { AGENT_CLI } from '../slash/install.js';
import type { AgentPorts } from './ports.js';

export interface AgentIdentity {
  name: string;
  email: string;
}

/** Each agent commits as itself, so history shows which agent wrote what. */
export function agentIdentity(agent: AgentConfig): AgentIdentity {
  return { name: agent.name, email: `${agent.name}@tickfleet.local` };
}

/**
 * A `tickfleet` executable in the agent's own bin folder, put first on its
 * PATH. Prompts, slash commands and `Bash(tickfleet enqueue:*)`-style permission rules then
 * all say plain `tickfleet …`, and it always runs this package's CLI with this
 * node, whatever the agent's shell finds on PATH.
 */
export async function installCliWrapper(layout: Layout, agent: string): Promise<string> {
  const bin = path.join(agentDir(layout, agent), 'bin');
  await fs.mkdir(bin, { recursive: true });
  const file = path.join(bin, AGENT_CLI);
  const script = `#!/bin/sh\nexec ${shellQuote(process.execPath, { always: true })} ${shellQuote(cliScript(), { always: true })} "$@"\n`;
  const current = await fs.readFile(file, 'utf8').catch(ignoreMissing);
  if (current !== script) {
    await fs.writeFile(`${file}.new`, script, { mode: 0o755 });
    await fs.rename(`${file}.new`, file);
  }
  return bin;
}

export interface AgentEnvInput {
  layout: Layout;
  agent: AgentConfig;
  runId: string;
  ports: AgentPorts;
  binDir: string;
  taskId?: string;
  /** The claim's lease token: `tickfleet split` run by the agent acts on its task only while this holds it. */
  token?: string;
}

/**
 * Git looks for a repository upwards from the working directory. A worktree
 * folder that was removed and made again (by a process that outlived its run)
 * is a plain folder inside the host project, so a `git commit` there would
 * land on the person's checked-out branch. With the agents folder as a
 * ceiling, git stops below it: a real worktree (its own `.git` file) still
 * works, a plain folder is "not a git repository". The agents folder, not the
 * worktrees folder, so scratch folders are covered too.
 */
export function gitCeiling(
  layout: Layout,
  inherited: string | undefined = process.env.GIT_CEILING_DIRECTORIES,
): string {
  return [layout.agents, ...(inherited ? [inherited] : [])].join(path.delimiter);
}

/** Variables every agent run sees (the client's own additions come from src/claude/env.ts). */
export function agentEnv(input: AgentEnvInput): Record<string, string> {
  const id = agentIdentity(input.agent);
  return {
    PATH: `${input.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    TICKFLEET_PROJECT: input.layout.root,
    TICKFLEET_AGENT: input.agent.name,
    TICKFLEET_ROLE: input.agent.role,
    TICKFLEET_RUN_ID: input.runId,
    TICKFLEET_CLI: AGENT_CLI,
    ...(input.taskId ? { TICKFLEET_TASK_ID: input.taskId } : {}),
    ...(input.taskId && input.token ? { TICKFLEET_LEASE_TOKEN: input.token } : {}),
    AGENT_NAME: input.agent.name,
    AGENT_DEV_PORT: String(input.ports.dev),
    AGENT_MCP_PORT: String(input.ports.mcp),
    AGENT_PW_WS_PORT: String(input.ports.playwright),
    GIT_AUTHOR_NAME: id.name,
    GIT_AUTHOR_EMAIL: id.email,
    GIT_COMMITTER_NAME: id.name,
    GIT_COMMITTER_EMAIL: id.email,
    GIT_CEILING_DIRECTORIES: gitCeiling(input.layout),
  };
}
