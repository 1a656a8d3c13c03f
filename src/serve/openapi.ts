import type { Route } from './route.js';

/** What a route can say about itself beyond the contract: its query parameters, for the document. */
export interface QueryParam {
  name: string;
  description: string;
}

/** A route with its query parameters listed for the document (the API's reads have some). */
export interface DocumentedRoute extends Route {
  query?: readonly QueryParam[];
}

/**
 * The OpenAPI 3.1 document, made from the route list the server serves, so
 * the two cannot drift: every route's method, path, summary and path
 * parameters, and the key on every write. Query parameters come from a
 * route's `query` list when it has one.
 */
export function openApiDocument(routes: readonly DocumentedRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const oaPath = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const pathParams = [...route.path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' },
    }));
    const query = (route.query ?? []).map((q) => ({
      name: q.name,
      in: 'query',
      required: false,
      description: q.description,
      schema: { type: 'string' },
    }));
    const parameters = [...pathParams, ...query];
    const problemRef = { $ref: '#/components/responses/Problem' };
    paths[oaPath] ??= {};
    paths[oaPath][route.method.toLowerCase()] = {
      summary: route.summary,
      operationId: operationId(route),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.write
        ? {
            security: [{ bearer: [] }, { apiKey: [] }],
            requestBody: { required: false, content: { 'application/json': { schema: { type: 'object' } } } },
          }
        : {}),
      responses: {
        '200': { description: 'OK' },
        ...(route.write ? { '401': problemRef } : {}),
        ...(pathParams.length > 0 || route.write ? { '400': problemRef } : {}),
        ...(pathParams.length > 0 ? { '404': problemRef } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tickfleet',
      version,
      description:
        'The fleet read and steered over HTTP: the same library functions as `tickfleet … --json`. Reads are open from this machine; every write needs the key.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      responses: {
        Problem: {
          description: 'problem+json (RFC 9457), with `field` naming the wrong part of the request',
          content: {
            'application/problem+json': {
              schema: {
                type: 'object',
                required: ['type', 'title', 'status', 'detail'],
                properties: {
                  type: { type: 'string' },
                  title: { type: 'string' },
                  status: { type: 'integer' },
                  detail: { type: 'string' },
                  field: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}

/** `POST /tasks/:id/cancel` → `postTasksIdCancel`: unique per route, as the router refuses duplicates. */
function operationId(route: Route): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/^:/, '').replace(/[^A-Za-z0-9]/g, ''));
  return [route.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}
