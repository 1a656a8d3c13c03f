import type { IncomingMessage } from 'node:http';
import { ProblemError } from './problem.js';

/** Enough for a task with a long context; more is refused before it is read into memory. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * A request's JSON object body. An empty body is `{}` (a write without
 * options); anything but a JSON object is a 400, a body over the limit a 413.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new ProblemError(413, `the body is ${declared} bytes; at most ${limit} are accepted`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ProblemError(413, `the body is over ${limit} bytes; at most ${limit} are accepted`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type !== '' && !/^application\/(.+\+)?json\b/i.test(type))
    throw new ProblemError(415, `the body must be application/json, got ${type}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProblemError(400, `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ProblemError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
