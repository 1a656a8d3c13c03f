import type { ServerResponse } from 'node:http';

/** An RFC 9457 problem document, as every route of the server answers an error. */
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string, field?: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, ...(field ? { field } : {}) });
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
