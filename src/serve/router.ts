import type { Route, RouteParams } from './route.js';

/** A route's path cut into segments once, at start-up. */
interface Compiled {
  route: Route;
  segments: readonly string[];
}

export type Match =
  | { kind: 'found'; route: Route; params: RouteParams }
  /** The path exists with other methods: a 405 with `Allow`. */
  | { kind: 'method'; allow: readonly string[] }
  | { kind: 'none' };

/**
 * A router small enough to read in one go: literal segments and `:name`
 * parameters, matched segment by segment. Two routes with the same method
 * and shape are a mistake in the route list and refused at start-up.
 */
export function compileRoutes(routes: readonly Route[]): (method: string, pathname: string) => Match {
  const compiled: Compiled[] = [];
  const seen = new Set<string>();
  for (const route of routes) {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with /: ${route.path}`);
    const segments = split(route.path);
    const shape = `${route.method} /${segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/')}`;
    if (seen.has(shape)) throw new Error(`two routes for ${route.method} ${route.path}`);
    seen.add(shape);
    compiled.push({ route, segments });
  }
  return (method, pathname) => {
    let parts: string[];
    try {
      parts = split(pathname).map(decodeURIComponent);
    } catch {
      // A malformed %-escape cannot name any route.
      return { kind: 'none' };
    }
    const allow: string[] = [];
    // Literal segments win over parameters: `/fleet/pause` before `/fleet/:x`.
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const c of compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method !== method) {
        if (!allow.includes(c.route.method)) allow.push(c.route.method);
        continue;
      }
      const literals = c.segments.filter((s) => !s.startsWith(':')).length;
      if (!best || literals > best.literals) best = { route: c.route, params, literals };
    }
    if (best) return { kind: 'found', route: best.route, params: best.params };
    if (allow.length > 0) return { kind: 'method', allow };
    return { kind: 'none' };
  };
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, seg] of pattern.entries()) {
    const part = parts[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg !== part) return undefined;
  }
  return params;
}
