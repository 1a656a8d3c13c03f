import { mergeQueueStatus } from '../../merge-queue/status.js';
import type { DocumentedRoute } from '../openapi.js';
import { sendJson } from '../problem.js';

/** The merge queue as `tickfleet merge-queue --json` shows it. */
export function mergeQueueRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'GET',
      path: '/merge-queue',
      summary:
        'what waits to land, the batch in flight, the last results and a hold with its reason (merge-queue --json)',
      handler: async (_req, res, _params, ctx) => sendJson(res, 200, await mergeQueueStatus(ctx.layout)),
    },
  ];
}
