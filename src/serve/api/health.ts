import { existsSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { isKnownError } from '../../core/errors.js';
import { queueStatus } from '../../tasks/queueCounts.js';
import type { DocumentedRoute } from '../openapi.js';
import { sendJson } from '../problem.js';

/**
 * The three probes: `/health` says the process answers, `/ready` that the
 * project behind it can be read (agents.yaml loads, the queue is there), so a
 * supervisor or a proxy can tell "up" from "useful"; `/stats` is the queue's
 * counts, as `queue-status --json`.
 */
export function healthRoutes(): DocumentedRoute[] {
  const started = Date.now();
  return [
    {
      method: 'GET',
      path: '/health',
      summary: 'the server answers (always 200 while it runs)',
      handler: (_req, res, _params, ctx) =>
        sendJson(res, 200, { ok: true, root: ctx.layout.root, uptime_ms: Date.now() - started }),
    },
    {
      method: 'GET',
      path: '/ready',
      summary: 'the project can be served: agents.yaml loads and the queue exists (503 with the reason otherwise)',
      handler: async (_req, res, _params, ctx) => {
        const reasons: string[] = [];
        try {
          await loadConfig(ctx.layout);
        } catch (err) {
          if (!isKnownError(err)) throw err;
          reasons.push(err.message);
        }
        if (!existsSync(ctx.layout.queue)) reasons.push(`${ctx.layout.queue} does not exist: run tickfleet init`);
        sendJson(res, reasons.length === 0 ? 200 : 503, { ready: reasons.length === 0, reasons });
      },
    },
    {
      method: 'GET',
      path: '/stats',
      summary: 'task counts per state, role and lifecycle (queue-status --json)',
      handler: async (_req, res, _params, ctx) => sendJson(res, 200, await queueStatus(ctx.layout)),
    },
  ];
}
