/**
 * An SSE event id is `<feed>-<seq>`: the feed's start time in base 36, then
 * the event's sequence number. A client that reconnects to a restarted server
 * carries an id of the old feed; the feed part tells it apart (its events are
 * unknowable, so the client gets a `reset`) rather than mistaking the old
 * sequence number for one of the new feed.
 */
export interface ParsedEventId {
  feed: string;
  seq: number;
}

const EVENT_ID = /^([0-9a-z]{1,16})-(\d{1,15})$/;

export function formatEventId(feed: string, seq: number): string {
  return `${feed}-${seq}`;
}

/** The id a client sent back in `Last-Event-ID`, or undefined when it is not one of ours. */
export function parseEventId(text: string | undefined): ParsedEventId | undefined {
  const m = text === undefined ? null : EVENT_ID.exec(text.trim());
  if (!m) return undefined;
  return { feed: m[1]!, seq: Number(m[2]) };
}
