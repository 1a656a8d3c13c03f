import type { IncomingMessage } from 'node:http';
import { SAFE_ID } from '../../core/ids.js';
import { ProblemError } from '../problem.js';
import type { Route } from '../route.js';
import type { EventFeed, FeedSource } from './feed.js';
import type { FleetEvent } from './fleetEvent.js';
import { followTranscript } from './runStream.js';
import { openSse, type SseStream } from './sse.js';
import { findTranscript } from './transcriptFile.js';

export interface EventRouteOptions {
  /** A `: ping` comment this often on every stream. Default 15 s. */
  heartbeatMs?: number;
  /** How long an EventSource waits before reconnecting. Default 2 s. */
  retryMs?: number;
  /** A run stream's first tail. Default 16 KB. */
  tailBytes?: number;
  /** A run stream's fallback read and end check. Default 1 s. */
  pollMs?: number;
}

/**
 * The id a client last saw: the `Last-Event-ID` header an EventSource sends on
 * reconnect, or `?lastEventId=` for a first connection that resumes (an
 * EventSource cannot set headers).
 */
function lastEventId(req: IncomingMessage): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return header;
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId');
  return query ?? undefined;
}

/** `GET /events` (the fleet's changes) and `GET /runs/:id/stream` (a run's live transcript). */
export function eventRoutes(source: FeedSource, options: EventRouteOptions = {}): Route[] {
  const sse = { heartbeatMs: options.heartbeatMs ?? 15_000, retryMs: options.retryMs ?? 2_000 };
  const open = new Set<SseStream>();
  let feedOnce: Promise<EventFeed> | undefined;
  const getFeed = () => {
    feedOnce ??= source().then((feed) => {
      feed.onClose(() => {
        for (const stream of open) stream.end();
      });
      return feed;
    });
    return feedOnce;
  };
  const track = (stream: SseStream) => {
    open.add(stream);
    stream.onClose(() => open.delete(stream));
  };
  return [
    {
      method: 'GET',
      path: '/events',
      summary:
        'Server-Sent Events: task moves, agent states, runs, messages, merges; honours Last-Event-ID (a `reset` event when the missed events are gone)',
      async handler(req, res) {
        const { log } = await getFeed();
        const last = lastEventId(req);
        const replay = last === undefined ? undefined : log.since(last);
        const stream = openSse(req, res, sse);
        track(stream);
        const send = (event: FleetEvent) => stream.send(event.type, { ...event.data, at: event.at }, log.idOf(event));
        // Replay and subscribe in one turn of the event loop: no event falls between them or comes twice.
        if (replay?.kind === 'reset') stream.send('reset', { reason: replay.reason }, log.lastId);
        else for (const event of replay?.events ?? []) send(event);
        stream.onClose(log.subscribe(send));
      },
    },
    {
      method: 'GET',
      path: '/runs/:id/stream',
      summary: "Server-Sent Events: a run's transcript as readable lines, live while it runs, then an `end` event",
      async handler(req, res, params, ctx) {
        const id = params.id ?? '';
        if (!SAFE_ID.test(id)) {
          throw new ProblemError(400, `run id "${id}": only letters, digits, "-" and "_", like 20261202-141500-a1b2`, {
            field: 'id',
          });
        }
        const transcript = await findTranscript(ctx.layout, id);
        if (!transcript)
          throw new ProblemError(404, `run ${id}: no transcript under agents/*/transcripts/`, { field: 'id' });
        const header = req.headers['last-event-id'];
        const from = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
        const stream = openSse(req, res, sse);
        track(stream);
        await followTranscript(ctx.layout, id, transcript, stream, from, {
          tailBytes: options.tailBytes ?? 16 * 1024,
          pollMs: options.pollMs ?? 1_000,
        });
      },
    },
  ];
}
