import type { IncomingMessage, ServerResponse } from 'node:http';

/** A client that falls this far behind is dropped; it reconnects with `Last-Event-ID` and catches up. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface SseStream {
  /** One event; `data` is sent as one line of JSON. */
  send(event: string, data: unknown, id?: string): void;
  /** A comment line: keeps proxies from closing an idle stream. */
  comment(text: string): void;
  end(): void;
  /** Called once, when the client goes or the stream is ended. */
  onClose(fn: () => void): void;
  readonly closed: boolean;
}

export interface SseOptions {
  /** How long an EventSource waits before reconnecting. */
  retryMs: number;
  /** A `: ping` comment this often. */
  heartbeatMs: number;
}

/** Start an SSE response: headers, the reconnect delay, and a heartbeat until the stream ends. */
export function openSse(req: IncomingMessage, res: ServerResponse, options: SseOptions): SseStream {
  const closers: (() => void)[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const fn of closers.splice(0)) fn();
  };
  const write = (text: string) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      close();
      res.destroy();
    }
  };
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx buffers responses unless told not to.
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: ${options.retryMs}\n\n`);
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
  heartbeat.unref();
  req.on('close', close);
  res.on('close', close);
  return {
    send(event, data, id) {
      write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      write(`: ${text.replace(/\n/g, ' ')}\n\n`);
    },
    end() {
      if (closed) return;
      close();
      res.end();
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
    get closed() {
      return closed;
    },
  };
}
