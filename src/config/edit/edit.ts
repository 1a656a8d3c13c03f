import { isMap } from 'yaml';
import { ExitError } from '../../core/errors.js';
import type { Layout } from '../../core/paths.js';
import type { QueueLimits, Role } from '../agentsConfig.js';
import { configLabel } from '../load.js';
import { parseYaml } from '../parse.js';
import { agentEntries, currentValue, type EditResult, editConfigFile, findAgent, showValue } from './editFile.js';
import { appendListItem, removeListItem, setScalarIn } from './yamlOps.js';
import { pairOf } from './yamlText.js';

/**
 * The edits behind the management commands. Each keeps the user's comments
 * and layout, re-validates the whole file before writing it, and describes
 * what changed (old → new).
 */

export interface NewAgent {
  name: string;
  role: Role;
  /** Omitted: not written, so the key table's default applies. */
  interval_seconds?: number;
  focus?: string;
  paused?: boolean;
}

export async function addAgent(layout: Layout, agent: NewAgent): Promise<EditResult> {
  return editConfigFile(layout, (parsed) => {
    const clash = agentEntries(parsed).findIndex((e) => e.name === agent.name);
    if (clash !== -1)
      throw new ExitError(
        `an agent named "${agent.name}" already exists in ${configLabel(layout)} (agents[${clash}]); choose another name`,
      );
    const item = {
      name: agent.name,
      role: agent.role,
      ...(agent.focus === undefined ? {} : { focus: agent.focus }),
      ...(agent.interval_seconds === undefined ? {} : { interval_seconds: agent.interval_seconds }),
      ...(agent.paused ? { paused: true } : {}),
    };
    return {
      text: appendListItem(parsed, 'agents', item),
      describe: (config) => {
        const added = config.agents.find((a) => a.name === agent.name)!;
        const focus = added.focus ? `, focus ${added.focus}` : '';
        return `added agent ${added.name} (${added.role}${focus}, every ${added.interval_seconds}s${added.paused ? ', paused' : ''})`;
      },
    };
  });
}

export async function removeAgent(layout: Layout, name: string): Promise<EditResult> {
  return editConfigFile(layout, (parsed) => {
    const { index, map } = findAgent(layout, parsed, name);
    const role = currentValue(map, 'role', ['agents', 'role']);
    return { text: removeListItem(parsed, 'agents', index), describe: () => `removed agent ${name} (${String(role)})` };
  });
}

export async function setAgentPaused(layout: Layout, name: string, paused: boolean): Promise<EditResult> {
  return setAgentKey(layout, name, 'paused', paused);
}

export async function setAgentInterval(layout: Layout, name: string, seconds: number): Promise<EditResult> {
  return setAgentKey(layout, name, 'interval_seconds', seconds);
}

async function setAgentKey(
  layout: Layout,
  name: string,
  key: 'paused' | 'interval_seconds',
  value: boolean | number,
): Promise<EditResult> {
  return editConfigFile(layout, (parsed) => {
    const { index, map } = findAgent(layout, parsed, name);
    const old = currentValue(map, key, ['agents', key]);
    if (old === value) return { unchanged: `${name}: ${key} is already ${showValue(value)}` };
    return {
      text: setScalarIn(parsed, [key], value, map, `agents[${index}]`),
      describe: () => `${name}: ${key} ${showValue(old)} → ${showValue(value)}`,
    };
  });
}

export async function setQueueLimits(layout: Layout, limits: Partial<QueueLimits>): Promise<EditResult> {
  const keys = (['max_incoming', 'max_claimed', 'max_open_prs'] as const).filter((k) => limits[k] !== undefined);
  if (keys.length === 0)
    throw new ExitError('no queue limit to change: give max_incoming, max_claimed or max_open_prs');
  return editConfigFile(layout, (parsed) => {
    let current = parsed;
    const changes: string[] = [];
    const same: string[] = [];
    for (const key of keys) {
      const root = current.doc.contents;
      const section = isMap(root) ? pairOf(root, 'queue_limits')?.value : undefined;
      const old = currentValue(isMap(section) ? section : undefined, key, ['queue_limits', key]);
      const value = limits[key]!;
      if (old === value) {
        same.push(`queue_limits.${key} is already ${value}`);
        continue;
      }
      current = parseYaml(setScalarIn(current, ['queue_limits', key], value));
      changes.push(`queue_limits.${key} ${showValue(old)} → ${value}`);
    }
    if (changes.length === 0) return { unchanged: same.join(', ') };
    return { text: current.text, describe: () => changes.join(', ') };
  });
}

export async function setFleetPaused(layout: Layout, paused: boolean): Promise<EditResult> {
  return editConfigFile(layout, (parsed) => {
    const root = parsed.doc.contents;
    const old = currentValue(isMap(root) ? root : undefined, 'paused', ['paused']);
    if (old === paused) return { unchanged: `paused is already ${paused}` };
    return { text: setScalarIn(parsed, ['paused'], paused), describe: () => `paused ${showValue(old)} → ${paused}` };
  });
}
