import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../core/paths.js';
import type { Route } from '../route.js';

/** The board's files, shipped in the package's `board/` folder (served as they are: no build step). */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'board.js': 'text/javascript; charset=utf-8',
  'board.css': 'text/css; charset=utf-8',
};

/** The package's `board/` folder: found from src/ in tests, dist/ as tsc emits it, and dist/bundle/ alike. */
export function boardDir(pkgRoot = packageRoot()): string {
  return path.join(pkgRoot, 'board');
}

/**
 * `GET /` (the board) and `GET /board/<file>` (its script and style). Only
 * the files listed are served, by name, so no path reaches the file system.
 * Read on each request: small, and an edited board shows on a reload.
 */
export function boardRoutes(dir = boardDir()): Route[] {
  const serve =
    (name: string): Route['handler'] =>
    async (_req, res) => {
      const body = await readFile(path.join(dir, name));
      res.writeHead(200, {
        'Content-Type': ASSETS[name]!,
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
        // The board loads only its own files and talks only to this server.
        'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    };
  return [
    {
      method: 'GET',
      path: '/',
      summary: 'the board: agents, queue, runs in flight, cost, messages (HTML)',
      handler: serve('index.html'),
    },
    ...['board.js', 'board.css'].map(
      (name): Route => ({
        method: 'GET',
        path: `/board/${name}`,
        summary: `the board's ${name.split('.')[1]}`,
        handler: serve(name),
      }),
    ),
  ];
}
