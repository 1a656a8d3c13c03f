import { parse } from 'yaml';
import type { Config } from '../config/agentsConfig.js';

/** One way the fleet runs the client: a command and the environment it adds, and who uses it. */
export interface ClientSetup {
  command: string[];
  env: Record<string, string>;
  /** The agents that run it this way; empty for the fleet-wide default. */
  agents: string[];
}

/**
 * The distinct client setups of the fleet. With a broken agents.yaml the
 * fleet-wide `claude:` block is still read as leniently as possible, so
 * doctor checks the client whatever else is wrong.
 */
export function clientSetups(config: Config | undefined, rawText: string | undefined): ClientSetup[] {
  if (!config) return [lenientSetup(rawText)];
  if (config.agents.length === 0) return [{ command: config.claude.command, env: config.claude.env, agents: [] }];
  const byKey = new Map<string, ClientSetup>();
  for (const agent of config.agents) {
    const key = JSON.stringify([agent.claude.command, Object.entries(agent.claude.env).sort()]);
    const setup = byKey.get(key) ?? { command: agent.claude.command, env: agent.claude.env, agents: [] };
    setup.agents.push(agent.name);
    byKey.set(key, setup);
  }
  return [...byKey.values()];
}

function lenientSetup(rawText: string | undefined): ClientSetup {
  let claude: unknown;
  try {
    claude = (parse(rawText ?? '') as { claude?: unknown } | null)?.claude;
  } catch {
    // The config check reports an agents.yaml that does not parse; this one probes the client as set up by default.
    claude = undefined;
  }
  const block = typeof claude === 'object' && claude !== null ? (claude as Record<string, unknown>) : {};
  const raw = block.command;
  const command =
    typeof raw === 'string' && raw.trim() !== ''
      ? raw.trim().split(/\s+/)
      : Array.isArray(raw) && raw.length > 0 && raw.every((x) => typeof x === 'string')
        ? (raw as string[])
        : ['claude'];
  const env: Record<string, string> = {};
  if (typeof block.env === 'object' && block.env !== null) {
    for (const [k, v] of Object.entries(block.env))
      if (typeof v === 'string' || typeof v === 'number') env[k] = String(v);
  }
  return { command, env, agents: [] };
}
