import { formatEventId, parseEventId } from './eventId.js';
import type { FleetEvent, FleetEventType } from './fleetEvent.js';

export type EventListener = (event: FleetEvent) => void;

/** What a (re)connecting client is sent before live events. */
export type Replay =
  | { kind: 'events'; events: FleetEvent[] }
  /** The client's last event is older than the buffer, or from another feed. */
  | { kind: 'reset'; reason: string };

/**
 * The feed's memory: the last `capacity` events in a ring, and the listeners
 * (one per open `/events` response). Bounded, so a server that runs for weeks
 * holds a fixed amount; a client gone longer than the ring covers is told to
 * start over instead of being sent a partial history.
 */
export class EventLog {
  readonly feed: string;
  private readonly ring: (FleetEvent | undefined)[];
  private nextSeq = 1;
  private readonly listeners = new Set<EventListener>();

  constructor(
    readonly capacity: number,
    startedAt: Date,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event buffer: capacity ${capacity}`);
    this.ring = new Array(capacity);
    this.feed = startedAt.getTime().toString(36);
  }

  /** The id of the newest event, or undefined before the first. */
  get lastId(): string | undefined {
    return this.nextSeq > 1 ? formatEventId(this.feed, this.nextSeq - 1) : undefined;
  }

  idOf(event: FleetEvent): string {
    return formatEventId(this.feed, event.seq);
  }

  append(type: FleetEventType, data: Record<string, unknown>, at = new Date()): FleetEvent {
    const event: FleetEvent = { seq: this.nextSeq++, type, at: at.toISOString(), data };
    this.ring[event.seq % this.capacity] = event;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** The events after `lastEventId` (a client's `Last-Event-ID`), oldest first. */
  since(lastEventId: string): Replay {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return { kind: 'reset', reason: `Last-Event-ID "${lastEventId}" is not an id of this server` };
    if (parsed.feed !== this.feed) return { kind: 'reset', reason: 'the server restarted since that event' };
    const newest = this.nextSeq - 1;
    if (parsed.seq > newest) return { kind: 'reset', reason: `event ${lastEventId} was never sent` };
    const oldestKept = Math.max(1, newest - this.capacity + 1);
    if (parsed.seq + 1 < oldestKept) {
      const lost = oldestKept - parsed.seq - 1;
      return { kind: 'reset', reason: `missed ${lost} event${lost === 1 ? '' : 's'} beyond the ${this.capacity} kept` };
    }
    const events: FleetEvent[] = [];
    for (let seq = parsed.seq + 1; seq <= newest; seq++) events.push(this.ring[seq % this.capacity]!);
    return { kind: 'events', events };
  }
}
