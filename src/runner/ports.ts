import path from 'node:path';
import type { PortConfig } from '../config/agentsConfig.js';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';

/**
 * Each agent owns a slot; its ports are base + slot·stride + {0: dev, 1: mcp,
 * 2: playwright}. Slots are remembered in `agents/ports.json`, so reordering or
 * adding agents in agents.yaml never moves an agent's ports under a running
 * dev server. A new agent takes the lowest free slot.
 */
export interface AgentPorts {
  slot: number;
  dev: number;
  mcp: number;
  playwright: number;
}

export function portsForSlot(slot: number, config: PortConfig): AgentPorts {
  const first = config.base + slot * config.stride;
  return { slot, dev: first, mcp: first + 1, playwright: first + 2 };
}

function slotsFile(layout: Layout): string {
  return path.join(layout.agents, 'ports.json');
}

export async function agentPorts(layout: Layout, agent: string, config: PortConfig): Promise<AgentPorts> {
  const file = slotsFile(layout);
  const existing = (await readJsonIfExists<Record<string, number>>(file)) ?? {};
  const known = existing[agent];
  if (known !== undefined) return portsForSlot(known, config);
  return withLock(file, async () => {
    const slots = (await readJsonIfExists<Record<string, number>>(file)) ?? {};
    let slot = slots[agent];
    if (slot === undefined) {
      const taken = new Set(Object.values(slots));
      slot = 0;
      while (taken.has(slot)) slot++;
      slots[agent] = slot;
      await writeJsonAtomic(file, slots);
    }
    return portsForSlot(slot, config);
  });
}
