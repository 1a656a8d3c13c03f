import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { apiRoutes } from './api/routes.js';
import { type ApiKey, resolveApiKey } from './apiKey.js';
import { isLoopback } from './auth.js';
import { boardRoutes } from './board/boardRoutes.js';
import { eventRoutes } from './events/eventRoutes.js';
import { lazyEventFeed } from './events/feed.js';
import { type DocumentedRoute, openApiDocument } from './openapi.js';
import { sendJson } from './problem.js';
import type { Route, ServeContext } from './route.js';
import { type RunningServer, startServer } from './server.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7766;

/**
 * Every route `tickfleet serve` answers: the API, then `/openapi.json`
 * describing all of them (itself included). The event stream and the board
 * add their lists here.
 */
export function serveRoutes(ctx: ServeContext): Route[] {
  const routes: DocumentedRoute[] = [...apiRoutes(), ...eventRoutes(lazyEventFeed(ctx.layout)), ...boardRoutes()];
  const openapi: Route = {
    method: 'GET',
    path: '/openapi.json',
    summary: 'this document: every route, its parameters, and which ones need the key',
    handler: (_req, res) => sendJson(res, 200, openApiDocument(routes, packageVersion())),
  };
  routes.push(openapi);
  return routes;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  onError?: (err: unknown) => void;
}

export interface Serving extends RunningServer {
  apiKey: ApiKey;
}

/**
 * `tickfleet serve`: the key, the bind check, the routes, the server.
 * Binding beyond this machine needs a key the person chose
 * (`TICKFLEET_API_KEY`): a key generated into a file nobody has read yet
 * would let `--host 0.0.0.0` expose the fleet by accident.
 */
export async function openServe(layout: Layout, options: ServeOptions = {}): Promise<Serving> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const env = options.env ?? process.env;
  if (!isLoopback(host) && !env.TICKFLEET_API_KEY?.trim())
    throw new ExitError(
      `--host ${host} would expose the fleet beyond this machine: set TICKFLEET_API_KEY to the key clients must send, or bind ${DEFAULT_HOST}`,
    );
  const apiKey = await resolveApiKey(layout, env);
  const ctx: ServeContext = { layout, apiKey: apiKey.key };
  const server = await startServer({
    layout,
    host,
    port,
    apiKey: apiKey.key,
    routes: serveRoutes(ctx),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { ...server, apiKey };
}

let version: string | undefined;
function packageVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    version = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return version;
}
