import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The key a request carries: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function requestKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header.trim() : undefined;
}

/** Whether the request carries the key; compared in constant time so a wrong key's timing says nothing. */
export function hasKey(req: IncomingMessage, apiKey: string): boolean {
  const given = requestKey(req);
  if (given === undefined || apiKey === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(apiKey);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a host name or address is this machine only. */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}
