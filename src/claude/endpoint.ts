import net from 'node:net';

/**
 * Is anything listening at the client's API endpoint? A TCP connect with a
 * short timeout: it costs a few milliseconds when the answer is yes and at
 * most `timeoutMs` when it is no, and it sends nothing (no request, no
 * credential). Used by `doctor`, `config check`, `status`, `scheduler
 * --dry-run`, and by a run whose client reports a failed connection; never
 * by the plain tick, which must not pay for a network round trip every
 * minute.
 */

export const DEFAULT_API_URL = 'https://api.anthropic.com';
export const PROBE_TIMEOUT_MS = 2_000;

/** The endpoint the client talks to: ANTHROPIC_BASE_URL of its environment, else the public API. */
export function apiBaseUrl(env: Record<string, string | undefined>): string {
  const url = (env.ANTHROPIC_BASE_URL ?? '').trim();
  return url === '' ? DEFAULT_API_URL : url;
}

/** The URL without a user or password, as messages show it. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Where the client's connection actually goes: through HTTPS_PROXY (or
 * HTTP_PROXY for an http URL) when one is set and NO_PROXY does not exempt
 * the host, else straight to the URL. Probing the API host directly behind
 * a proxy would report a working setup as broken.
 */
export function connectTarget(url: string, env: Record<string, string | undefined>): { url: string; via?: string } {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    // Not a URL: probed as given, and probeEndpoint says it is not a URL.
    return { url };
  }
  const https = url.startsWith('https:');
  const proxy = (https ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy))?.trim();
  if (!proxy) return { url };
  const exempt = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^\*?\./, ''))
    .filter(Boolean);
  if (exempt.some((d) => d === '*' || host === d || host.endsWith(`.${d}`))) return { url };
  return { url: proxy, via: shownUrl(proxy) };
}

export type EndpointProbe = { ok: true; url: string } | { ok: false; url: string; reason: string };

/** Connect to the URL's host and port, then close at once. */
export async function probeEndpoint(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<EndpointProbe> {
  const shown = shownUrl(url);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, url: shown, reason: `ANTHROPIC_BASE_URL ${JSON.stringify(url)} is not a URL` };
  }
  const port = Number(target.port || (target.protocol === 'http:' ? 80 : 443));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: EndpointProbe): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ ok: false, url: shown, reason: `no answer from ${host}:${port} within ${timeoutMs / 1000} s` }),
    );
    socket.once('connect', () => done({ ok: true, url: shown }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ ok: false, url: shown, reason: connectError(err, host, port) }),
    );
  });
}

function connectError(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused at ${host}:${port} (nothing listening)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${host} not found (${err.code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} unreachable (${err.code})`;
    default:
      return `${host}:${port}: ${err.message}`;
  }
}
