import type { IncomingMessage } from 'node:http';
import type { Actor } from '../../core/actor.js';
import { problemFor } from '../errors.js';
import { ProblemError } from '../problem.js';

/** The query string of a request; the path is matched by the router. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

/** A query parameter that must be one of a list, or absent. */
export function oneOf<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = q.get(name);
  if (value === null) return undefined;
  if (!allowed.includes(value as T))
    throw new ProblemError(400, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, {
      field: name,
    });
  return value as T;
}

/** A whole number query parameter (0 = no limit), or the default. */
export function wholeNumber(q: URLSearchParams, name: string, fallback: number): number {
  const value = q.get(name);
  if (value === null) return fallback;
  if (!/^\d+$/.test(value))
    throw new ProblemError(400, `${name} must be a whole number (0 = all), got ${JSON.stringify(value)}`, {
      field: name,
    });
  return Number(value);
}

/** A free-text query parameter, or absent. */
export function text(q: URLSearchParams, name: string): string | undefined {
  const value = q.get(name);
  return value === null || value === '' ? undefined : value;
}

/** A body key that must be a string when present (required: it must be there and not blank). */
export function bodyString(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw new ProblemError(400, `${name} is required`, { field: name });
    return undefined;
  }
  if (typeof value !== 'string') throw new ProblemError(400, `${name} must be a string`, { field: name });
  if (required && value.trim() === '') throw new ProblemError(400, `${name} is empty`, { field: name });
  return value;
}

export function bodyBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ProblemError(400, `${name} must be true or false`, { field: name });
  return value;
}

export function bodyStrings(body: Record<string, unknown>, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new ProblemError(400, `${name} must be a list of strings`, { field: name });
  return value as string[];
}

/**
 * Who a write is made by: the person holding the key. The API is a person's
 * tool (agents use the CLI their runner gives them), so it is never an agent.
 */
export const API_ACTOR: Actor = { name: 'api', isAgent: false };

/** Runs a library call, turning its one-line error into a problem naming the field its message is about. */
export async function withFields<T>(
  fieldOf: (message: string) => string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const { problem, internal } = problemFor(err, fieldOf);
    if (internal) throw err;
    throw new ProblemError(problem.status, problem.detail, problem.field === undefined ? {} : { field: problem.field });
  }
}
