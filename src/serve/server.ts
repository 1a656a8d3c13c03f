import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Layout } from '../core/paths.js';
import { hasKey, isLoopback } from './auth.js';
import { problemFor } from './errors.js';
import { ProblemError, problem, sendProblem } from './problem.js';
import type { Route, ServeContext } from './route.js';
import { compileRoutes } from './router.js';

export interface ServerOptions {
  layout: Layout;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  apiKey: string;
  routes: readonly Route[];
  /** Where a failure no request caused is told (a handler's bug); the server itself never prints. */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** Stops listening and ends open connections (an event stream never ends on its own). */
  close(): Promise<void>;
}

/**
 * `tickfleet serve` on node:http: each request is matched against the route
 * list, refused when it lacks the key it needs, and handed to its handler.
 * A thrown error becomes problem+json. Reads need no key from this machine;
 * from elsewhere (a server bound beyond loopback) every request needs it.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const match = compileRoutes(options.routes);
  const ctx: ServeContext = { layout: options.layout, apiKey: options.apiKey };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The raw path, not a URL-normalised one: `/tasks/../x` must not quietly become `/x`.
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const found = match(req.method ?? 'GET', pathname);
    if (found.kind === 'none') throw new ProblemError(404, `no route ${req.method} ${pathname}; see /openapi.json`);
    if (found.kind === 'method')
      throw new ProblemError(405, `${pathname} answers ${found.allow.join(', ')}, not ${req.method}`, {
        headers: { Allow: found.allow.join(', ') },
      });
    const local = isLoopback(req.socket.remoteAddress);
    if ((found.route.write || !local) && !hasKey(req, options.apiKey))
      throw new ProblemError(
        401,
        found.route.write
          ? `${req.method} ${found.route.path} is a write: send the key as Authorization: Bearer <key> or X-Api-Key`
          : 'requests from another machine need the key: Authorization: Bearer <key> or X-Api-Key',
        { headers: { 'WWW-Authenticate': 'Bearer realm="tickfleet"' } },
      );
    await found.route.handler(req, res, found.params, ctx);
  };

  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const { problem: p, internal } = problemFor(err);
      if (internal) options.onError?.(err, req);
      if (res.headersSent) {
        // A stream that already began cannot turn into a problem; end it.
        res.destroy();
        return;
      }
      sendProblem(res, p, err instanceof ProblemError ? err.headers : {});
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request line or header the parser refuses gets a problem too, not a bare reset.
  server.on('clientError', (_err, socket) => {
    if (!socket.writable) return;
    const body = JSON.stringify(problem(400, 'the request could not be parsed'));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
