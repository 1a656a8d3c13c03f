/**
 * What `GET /events` sends: one change the fleet made on disk, seen by the
 * feed's file watchers (`watchOrchestrator.ts`). `data` is small on purpose:
 * it says what changed, and a client re-reads the JSON API for the rest.
 */
export type FleetEventType =
  /** A task file arrived in a queue folder: enqueued (`from` null), claimed, released, done, failed, retried. */
  | 'task.moved'
  /** A task file was rewritten in its folder: a stage change after delivery, feedback, a lease renewal. */
  | 'task.changed'
  /** A task file left the queue for good (removed by hand). */
  | 'task.removed'
  /** An agent's `state.json` changed: a run recorded, a client group, an outcome. */
  | 'agent.state'
  | 'run.started'
  /** A run's ledger record was written: the run is over. */
  | 'run.ended'
  | 'message.sent'
  | 'message.cleared'
  /** A local review record moved between pending, approved, rejected and merged. */
  | 'review.moved'
  /** A review record reached `merged`. */
  | 'merge'
  /** `fleet.json` changed: the fleet was paused or resumed. */
  | 'fleet'
  /** agents.yaml changed: an agent paused, resumed or reconfigured. */
  | 'config'
  /** Events a reconnecting client missed are no longer kept: it must re-read everything. */
  | 'reset';

export interface FleetEvent {
  /** Increases by one per event of one feed; the SSE `id` is `<feed>-<seq>` (see `eventId.ts`). */
  seq: number;
  type: FleetEventType;
  /** ISO-8601, when the feed saw the change. */
  at: string;
  data: Readonly<Record<string, unknown>>;
}
