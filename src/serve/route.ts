import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Layout } from '../core/paths.js';

/**
 * What every handler of `tickfleet serve` is given. The API, the event
 * stream and the board are separate route lists joined by the server, so each
 * can be built and tested on its own.
 */
export interface ServeContext {
  layout: Layout;
  /** The key every write must carry (`Authorization: Bearer <key>` or `X-Api-Key`). */
  apiKey: string;
}

/** Path parameters by name: `/tasks/:id` gives `{ id }`. Not yet validated: a handler checks ids before using them. */
export type RouteParams = Readonly<Record<string, string>>;

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: RouteParams,
  ctx: ServeContext,
) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Literal segments and `:name` parameters, e.g. `/runs/:id/stream`. */
  path: string;
  /** A write: refused with 401 unless the request carries the key. */
  write?: boolean;
  /** One line for the OpenAPI document. */
  summary: string;
  handler: RouteHandler;
}
