import type {
  Block,
  Dyn,
  ErrorStep,
  HangStep,
  MessageStep,
  Scenario,
  ScriptedRequest,
  Step,
  Usage,
} from './scenario.js';

/**
 * A few words to write scenarios with:
 *
 *   script(
 *     toolUse('Write', (req) => ({ file_path: `${req.cwd}/a.txt`, content: 'a\n' })),
 *     text('Wrote a.txt'),
 *   )
 */

export interface ReplyOptions {
  usage?: Partial<Usage>;
}

export function text(value: Dyn<string>, options: ReplyOptions = {}): MessageStep {
  return { kind: 'message', blocks: [{ type: 'text', text: value }], ...options };
}

export function toolUse(name: string, input: Dyn<Record<string, unknown>>, options: ReplyOptions = {}): MessageStep {
  return { kind: 'message', blocks: [{ type: 'tool_use', name, input }], ...options };
}

/** Calls the `StructuredOutput` tool that the client adds for `--json-schema`. */
export function structuredOutput(value: Dyn<Record<string, unknown>>, options: ReplyOptions = {}): MessageStep {
  return toolUse('StructuredOutput', value, options);
}

/** One assistant message made of several blocks (say something, then call a tool). */
export function turn(...steps: MessageStep[]): MessageStep {
  const blocks: Block[] = steps.flatMap((s) => s.blocks);
  const usage = Object.assign({}, ...steps.map((s) => s.usage)) as Partial<Usage>;
  return { kind: 'message', blocks, ...(Object.keys(usage).length > 0 ? { usage } : {}) };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * An HTTP error in the API's error shape. The client retries 408/409/429/5xx
 * by itself (10 times, backing off to ~40 s: minutes in all); pass
 * `{'x-should-retry': 'false'}` or set `CLAUDE_CODE_MAX_RETRIES` in the
 * client's env to keep a test fast.
 */
export function httpError(status: number, body?: unknown, headers: Record<string, string> = {}): ErrorStep {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const message = typeof body === 'string' ? body : `scripted ${status}`;
  const payload = body === undefined || typeof body === 'string' ? { type: 'error', error: { type, message } } : body;
  return { kind: 'error', status, body: payload, headers };
}

/**
 * A 429 with the headers the real API sends with a rate limit. By default it
 * tells the client not to retry (`x-should-retry: false`), so the run ends at
 * once; `retry: true` lets the client back off and retry by itself.
 */
export function rateLimited(options: { retryAfterSeconds?: number; retry?: boolean; resetAt?: Date } = {}): ErrorStep {
  const reset = (options.resetAt ?? new Date(Date.now() + 60_000)).toISOString();
  const headers: Record<string, string> = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': reset,
  };
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retry !== true) headers['x-should-retry'] = 'false';
  return httpError(429, 'Number of requests has exceeded your rate limit', headers);
}

export function hang(): HangStep {
  return { kind: 'hang' };
}

/** The same reply, with `ms` between two stream events. */
export function slowStream(ms: number, step: MessageStep): MessageStep {
  return { ...step, delayMs: ms };
}

/**
 * Steps in order: the n-th conversation request of a session gets the n-th
 * step (error retries included); once they run out, the last step repeats.
 * An entry may be a function of the request.
 */
export function script(...steps: Array<Step | Scenario>): Scenario {
  if (steps.length === 0) throw new Error('script() needs at least one step');
  return (req: ScriptedRequest) => {
    const entry = steps[Math.min(req.index, steps.length - 1)]!;
    return typeof entry === 'function' ? entry(req) : entry;
  };
}

/**
 * One server for a whole fleet: the first marker (a task id, a role name)
 * found in the first user message picks the scenario.
 */
export function byPrompt(map: Record<string, Scenario>, fallback?: Scenario): Scenario {
  const markers = Object.keys(map);
  return (req: ScriptedRequest) => {
    const marker = markers.find((m) => req.firstUserText.includes(m));
    if (marker !== undefined) return map[marker]!(req);
    if (fallback) return fallback(req);
    return text(`No scripted scenario matches this prompt (markers: ${markers.join(', ')}).`);
  };
}

export function resolve<T>(value: Dyn<T>, req: ScriptedRequest): T {
  return typeof value === 'function' ? (value as (r: ScriptedRequest) => T)(req) : value;
}
