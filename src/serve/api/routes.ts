import type { DocumentedRoute } from '../openapi.js';
import { agentRoutes } from './agents.js';
import { healthRoutes } from './health.js';
import { recordRoutes } from './records.js';
import { reviewRoutes } from './reviews.js';
import { statusRoutes } from './status.js';
import { taskRoutes } from './tasks.js';

/** The JSON API: each route a thin wrapper over the library function the matching `--json` command uses. */
export function apiRoutes(): DocumentedRoute[] {
  return [
    ...healthRoutes(),
    ...statusRoutes(),
    ...taskRoutes(),
    ...agentRoutes(),
    ...recordRoutes(),
    ...reviewRoutes(),
  ];
}
