import http from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event (seen or to come) that `match` accepts. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once a comment `match` accepts arrives. */
  comment(match: (c: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** An SSE client over node:http: the bytes on the wire, parsed as the EventSource spec says. */
export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: Partial<SseEvent> & { data?: unknown } = {};
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '')
            events.push({ event: e.event ?? 'message', data: JSON.parse(data), ...(e.id ? { id: e.id } : {}) });
          for (const w of waiters) w();
          end = buffer.indexOf('\n\n');
        }
      });
      const wait = <T>(find: () => T | undefined, what: string, timeoutMs: number) =>
        new Promise<T>((ok, fail) => {
          const check = () => {
            const found = find();
            if (found === undefined) return;
            waiters.delete(check);
            clearTimeout(timer);
            ok(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      resolve({
        status: res.statusCode ?? 0,
        events,
        comments,
        next: (match, timeoutMs = 10_000) => wait(() => events.find(match), 'matching event', timeoutMs),
        comment: (match, timeoutMs = 10_000) => wait(() => comments.find(match), 'matching comment', timeoutMs),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
