import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpError, resolve } from './dsl.js';
import { describeRequest } from './request.js';
import type { LoggedRequest, MessageStep, Scenario, ScriptedRequest, Step } from './scenario.js';
import { DEFAULT_USAGE, messageEvents, messageJson, newId, type ResolvedBlock, SIDE_USAGE, writeSse } from './sse.js';

/**
 * A Messages API server on 127.0.0.1 that answers from a scenario. Point the
 * real client at it with ANTHROPIC_BASE_URL (see `scriptedApiEnv`) and it runs
 * fully offline, tool calls included.
 */

export interface ScriptedApiOptions {
  scenario: Scenario;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The reply to side requests (no tools: the client's title/quota probe). */
  sideText?: string;
}

export interface ScriptedApi {
  url: string;
  port: number;
  /** Every request received, in order of arrival. */
  readonly requests: LoggedRequest[];
  /** Conversation requests only (side requests and probes left out). */
  conversation(sessionId?: string): LoggedRequest[];
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function resolveBlocks(step: MessageStep, req: ScriptedRequest): ResolvedBlock[] {
  return step.blocks.map((b) =>
    b.type === 'text'
      ? { type: 'text', text: resolve(b.text, req) }
      : { type: 'tool_use', id: newId('toolu'), name: b.name, input: resolve(b.input, req) },
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req'), ...headers });
  res.end(JSON.stringify(body));
}

export async function startScriptedApi(options: ScriptedApiOptions): Promise<ScriptedApi> {
  const requests: LoggedRequest[] = [];
  const perSession = new Map<string, number>();
  const sideText = options.sideText ?? JSON.stringify({ title: 'Scripted session' });

  async function reply(
    step: Step,
    blocks: ResolvedBlock[],
    req: ScriptedRequest,
    stream: boolean,
    res: http.ServerResponse,
  ): Promise<void> {
    if (step.kind === 'hang') return; // never answered; close() drops the socket
    if (step.kind === 'error') return sendJson(res, step.status, step.body, step.headers);
    const usage = { ...DEFAULT_USAGE, ...step.usage };
    const model = req.model ?? 'claude-scripted';
    if (!stream) return sendJson(res, 200, messageJson(model, blocks, usage));
    await writeSse(res, messageEvents(model, blocks, usage), step.delayMs);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = req.url ?? '/';
    let body: unknown = {};
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return sendJson(res, 400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'body is not JSON' },
      });
    }
    const described = describeRequest(body, req.headers);
    const sessionKey = described.sessionId ?? 'no-session';
    const isMessages = req.method === 'POST' && url.startsWith('/v1/messages') && !url.includes('count_tokens');
    const index = isMessages && !described.side ? (perSession.get(sessionKey) ?? 0) : 0;
    const info: ScriptedRequest = { ...described, index };
    const log = (replyKind: LoggedRequest['reply'], status: number): void => {
      requests.push({ ...info, method: req.method ?? '', url, reply: replyKind, status });
    };

    if (!isMessages) {
      // HEAD / (connectivity probe), count_tokens, anything else.
      log('other', 200);
      if (url.includes('count_tokens')) return sendJson(res, 200, { input_tokens: 1_000 });
      res.writeHead(200);
      return void res.end();
    }
    const stream = (body as { stream?: unknown }).stream === true;
    if (described.side) {
      log('side', 200);
      const blocks: ResolvedBlock[] = [{ type: 'text', text: sideText }];
      const model = info.model ?? 'claude-scripted';
      if (!stream) return sendJson(res, 200, messageJson(model, blocks, SIDE_USAGE));
      return writeSse(res, messageEvents(model, blocks, SIDE_USAGE));
    }
    perSession.set(sessionKey, index + 1);
    let step: Step;
    let blocks: ResolvedBlock[] = [];
    try {
      step = await options.scenario(info);
      if (step.kind === 'message') blocks = resolveBlocks(step, info);
    } catch (err) {
      // A broken script shows up in the client's result instead of hanging the run.
      step = httpError(500, `scenario failed: ${(err as Error).message}`, { 'x-should-retry': 'false' });
    }
    log(step.kind, step.kind === 'error' ? step.status : 200);
    await reply(step, blocks, info, stream, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: (err as Error).message } });
      else res.destroy();
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    conversation(sessionId?: string) {
      return requests.filter(
        (r) =>
          (r.reply === 'message' || r.reply === 'error' || r.reply === 'hang') &&
          (sessionId === undefined || r.sessionId === sessionId),
      );
    },
    close() {
      return new Promise<void>((ok) => {
        server.close(() => ok());
        // Hanging replies and keep-alive sockets would hold close() open for ever.
        server.closeAllConnections();
      });
    },
  };
}

/** The environment that points a Claude Code client at the scripted server, offline. */
export function scriptedApiEnv(api: Pick<ScriptedApi, 'url'>): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: 'sk-ant-scripted-offline',
    // Skip telemetry, update checks and other calls that would go to the internet.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
  };
}
