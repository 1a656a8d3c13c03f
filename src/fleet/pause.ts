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
  /**
   * The ends of the pauses this one extended: tasks released under them wait
   * until those times, and resume-fleet frees them too.
   */
  earlier_until?: string[];
}

/** The de-duplication key prefix of the message a pause sends; resume-fleet removes that message. */
export const PAUSE_MESSAGE_KEY = 'quota-pause:';

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
    // An expired pause holds no task any more: it is not carried over.
    const live = current && new Date(current.until).getTime() > new Date(pause.since).getTime();
    const extended: FleetPause = live
      ? { ...pause, earlier_until: [...(current.earlier_until ?? []), current.until] }
      : pause;
    await writeJsonAtomic(layout.fleetState, { ...state, pause: extended });
    return extended;
  });
}

/** Remove the pause; returns the one removed, if any. */
export async function clearFleetPause(layout: Layout): Promise<FleetPause | undefined> {
  return withLock(layout.fleetState, async () => {
    const state = await readFleetState(layout);
    const pause = state.pause;
    if (!pause) return undefined;
    delete state.pause;
    await writeJsonAtomic(layout.fleetState, state);
    return pause;
  });
}
