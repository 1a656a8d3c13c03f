import { fleetStatus } from '../../status/collect.js';
import type { DocumentedRoute } from '../openapi.js';
import { sendJson } from '../problem.js';

export function statusRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'GET',
      path: '/status',
      summary: "the fleet at a glance: each agent's state and why, spend, queue, what needs a person (status --json)",
      handler: async (_req, res, _params, ctx) => sendJson(res, 200, await fleetStatus(ctx.layout)),
    },
  ];
}
