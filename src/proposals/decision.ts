import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import type { Proposal } from './proposal.js';

/** Who decided, and the clock that says when. */
export interface Decision {
  by: string;
  clock?: Clock;
}

export function recordDecision(p: Proposal, d: Decision): void {
  p.decided_at = isoSeconds((d.clock ?? systemClock).now());
  p.decided_by = d.by;
}
