import type { DocumentedRoute } from '../openapi.js';
import { healthRoutes } from './health.js';

/** The JSON API: each route a thin wrapper over the library function the matching `--json` command uses. */
export function apiRoutes(): DocumentedRoute[] {
  return [...healthRoutes()];
}
