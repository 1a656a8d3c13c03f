import { readJsonIfExists, writeJsonAtomic } from '../core/atomicFile.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';

/**
 * A fleet-wide pause of new spawns, set when a run hits a usage or rate limit:
 * every agent shares one account, so one agent's 429 is everyone's.
 */
export interface FleetPause {
  until: string;
  reason: string;
  since: string;
  /** The agent and run whose result caused it. */
  agent?: string;
  run_id?: string;
}

export interface FleetState {
  pause?: FleetPause;
}

export async function readFleetState(layout: Layout): Promise<FleetState> {
  return (await readJsonIfExists<FleetState>(layout.fleetState)) ?? {};
}

/** The pause in force at `now`, if any. */
export function activePause(state: FleetState, now: Date): FleetPause | undefined {
  const pause = state.pause;
  return pause && new Date(pause.until).getTime() > now.getTime() ? pause : undefined;
}

/** Set (or extend) the fleet pause. A later `until` wins; an earlier one never shortens it. */
export async function pauseFleet(layout: Layout, pause: FleetPause): Promise<FleetPause> {
  return withLock(layout.fleetState, async () => {
    const state = await readFleetState(layout);
    const current = state.pause;
    if (current && new Date(current.until).getTime() >= new Date(pause.until).getTime()) return current;
    await writeJsonAtomic(layout.fleetState, { ...state, pause });
    return pause;
  });
}

export async function clearFleetPause(layout: Layout): Promise<void> {
  await withLock(layout.fleetState, async () => {
    const state = await readFleetState(layout);
    if (!state.pause) return;
    delete state.pause;
    await writeJsonAtomic(layout.fleetState, state);
  });
}
