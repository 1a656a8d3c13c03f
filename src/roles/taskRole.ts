import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { nearest } from '../config/keys/suggest.js';
import { ExitError } from '../core/errors.js';
import { claimRoleOf } from './registry.js';

/** The task roles the fleet's agents claim (paused ones too: their work waits for them), sorted. */
export function claimedTaskRoles(config: Config): string[] {
  return [...new Set(config.agents.map(claimRoleOf).filter((r): r is string => r !== undefined))].sort();
}

/**
 * A task whose role no agent claims would wait in incoming/ for ever, so it is
 * refused with the closest claimed role (`implment`, or the agent role
 * `implementer`, → implement) and the list; a person may --force it (an agent
 * that is added later will claim it).
 */
export function checkTaskRole(config: Config, role: string, byAgent: boolean): void {
  const claimed = claimedTaskRoles(config);
  if (claimed.includes(role)) return;
  const guess = nearest(role, claimed);
  const hint = guess ? ` (did you mean ${guess}?)` : '';
  const known =
    claimed.length > 0
      ? `roles agents claim: ${claimed.join(', ')}`
      : 'no agent claims any task yet (add one with `tickfleet add-agent`)';
  const force = byAgent ? '' : '; --force queues it anyway';
  throw new ExitError(
    `no agent in ${path.basename(config.file)} claims ${JSON.stringify(role)} tasks${hint}; ${known}${force}`,
  );
}
