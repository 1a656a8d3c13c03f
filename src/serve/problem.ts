import type { ServerResponse } from 'node:http';

/**
 * An error answer in the form of RFC 9457 (problem+json). `field` names the
 * request part that is wrong (a body key, a query parameter or a path
 * parameter) so a client can point at it without parsing `detail`.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** Thrown by a handler (or the body reader) to answer with a problem; the server turns it into the response. */
export class ProblemError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  /** Extra response headers, e.g. `Allow` for a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, detail: string, options: { field?: string; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  toProblem(): Problem {
    return problem(this.status, this.message, this.field);
  }
}

export function problem(status: number, detail: string, field?: string): Problem {
  const title = TITLES[status] ?? 'Error';
  return {
    // RFC 9457's default: the status says what kind of problem it is; `detail` and `field` say which.
    type: 'about:blank',
    title,
    status,
    detail,
    ...(field === undefined ? {} : { field }),
  };
}

export function sendProblem(res: ServerResponse, p: Problem, headers: Readonly<Record<string, string>> = {}): void {
  send(res, p.status, 'application/problem+json', p, headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', body, {});
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
