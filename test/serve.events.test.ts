import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentStateFile } from '../src/agents/state.js';
import { agentDir, type Layout } from '../src/core/paths.js';
import { enqueue } from '../src/roles/enqueue.js';
import { parseEventId } from '../src/serve/events/eventId.js';
import { eventRoutes } from '../src/serve/events/eventRoutes.js';
import { type EventFeed, startEventFeed } from '../src/serve/events/feed.js';
import { type RunningServer, startServer } from '../src/serve/server.js';
import { fleetProject } from './helpers/fleet.js';
import { connectSse, type SseClient } from './helpers/sseClient.js';

const FLEET = `agents:
  - name: impl-1
    role: implementer
`;
const PERSON = { name: 'alice', isAgent: false };
const seqOf = (id: string) => parseEventId(id)!.seq;

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn();
  cleanups = [];
});

async function serve(layout: Layout, capacity = 1000): Promise<{ server: RunningServer; feed: EventFeed }> {
  const feed = await startEventFeed(layout, { capacity });
  const server = await startServer({
    layout,
    host: '127.0.0.1',
    port: 0,
    apiKey: 'k',
    routes: eventRoutes(async () => feed, { heartbeatMs: 100, pollMs: 100 }),
  });
  cleanups.push(
    () => feed.close(),
    () => server.close(),
  );
  return { server, feed };
}

async function connect(url: string, headers?: Record<string, string>): Promise<SseClient> {
  const client = await connectSse(url, headers);
  cleanups.push(() => client.close());
  return client;
}

const task = (id: string) => (e: { event: string; data: Record<string, unknown> }) =>
  e.event === 'task.moved' && e.data.id === id;

describe('GET /events', () => {
  it('sends a task enqueued through the library as a task.moved event into incoming', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const client = await connect(`${server.url}/events`);
    expect(client.status).toBe(200);
    const t = await enqueue(layout, PERSON, { title: 'Watch me', role: 'implement' });
    const event = await client.next(task(t.id));
    expect(event.data).toMatchObject({ id: t.id, folder: 'incoming', from: null, lifecycle: 'queued' });
    expect(event.id).toMatch(/^[0-9a-z]+-\d+$/);
  });

  it('replays exactly the missed events to a client that reconnects with Last-Event-ID', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const watcher = await connect(`${server.url}/events`);
    const first = await connect(`${server.url}/events`);
    const t1 = await enqueue(layout, PERSON, { title: 'one', role: 'implement' });
    const seen = await first.next(task(t1.id));
    first.close();
    const t2 = await enqueue(layout, PERSON, { title: 'two', role: 'implement' });
    const t3 = await enqueue(layout, PERSON, { title: 'three', role: 'implement' });
    await watcher.next(task(t3.id));
    const missed = watcher.events.slice(watcher.events.findIndex((e) => e.id === seen.id) + 1);
    expect(missed.map((e) => e.data.id)).toEqual([t2.id, t3.id]);

    const back = await connect(`${server.url}/events`, { 'Last-Event-ID': seen.id! });
    await back.next(task(t3.id));
    expect(back.events).toEqual(missed);
  });

  it('sends a reset to a client whose events fell out of the buffer or came from another server', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout, 2);
    const watcher = await connect(`${server.url}/events`);
    const t1 = await enqueue(layout, PERSON, { title: 'one', role: 'implement' });
    const gone = await watcher.next(task(t1.id));
    for (const title of ['two', 'three', 'four']) {
      const t = await enqueue(layout, PERSON, { title, role: 'implement' });
      await watcher.next(task(t.id));
    }
    const late = await connect(`${server.url}/events`, { 'Last-Event-ID': gone.id! });
    const reset = await late.next((e) => e.event === 'reset');
    // The reset carries the newest id at the moment of reconnecting; an enqueue may
    // legitimately produce more than one event, so the count is taken from the ids.
    const lost = seqOf(reset.id!) - seqOf(gone.id!) - 2;
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(reset.data.reason).toBe(`missed ${lost} event${lost === 1 ? '' : 's'} beyond the 2 kept`);
    const stranger = await connect(`${server.url}/events`, { 'Last-Event-ID': 'zz-5' });
    expect((await stranger.next((e) => e.event === 'reset')).data.reason).toBe('the server restarted since that event');
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const client = await connect(`${server.url}/events`);
    expect(await client.comment((c) => c === 'ping')).toBe('ping');
  });

  it('reports a run starting from the agent state and ending from its ledger record', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const client = await connect(`${server.url}/events`);
    const started_at = new Date().toISOString();
    mkdirSync(agentDir(layout, 'impl-1'), { recursive: true });
    writeFileSync(
      agentStateFile(layout, 'impl-1'),
      JSON.stringify({ consecutive_failures: 0, running: { run_id: 'R1', started_at } }),
    );
    expect((await client.next((e) => e.event === 'run.started')).data).toMatchObject({ agent: 'impl-1', run_id: 'R1' });
    const day = path.join(layout.runs, '2026-12-02');
    mkdirSync(day, { recursive: true });
    writeFileSync(
      path.join(day, 'R1.json'),
      JSON.stringify({ run_id: 'R1', agent: 'impl-1', outcome: 'success', reason: 'done', cost_usd: 0.25 }),
    );
    expect((await client.next((e) => e.event === 'run.ended')).data).toMatchObject({
      agent: 'impl-1',
      run_id: 'R1',
      outcome: 'success',
      cost_usd: 0.25,
    });
  });
});

describe('GET /runs/:id/stream', () => {
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;

  it("streams a running run's transcript as readable lines, then ends when the run does", async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const dir = path.join(agentDir(layout, 'impl-1'), 'transcripts');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'RUN-7.jsonl');
    writeFileSync(
      file,
      line({ type: 'system', subtype: 'init', session_id: 's', model: 'claude-x' }) +
        line({ type: 'assistant', message: { content: [{ type: 'text', text: 'Reading the parser.' }] } }),
    );
    const state = agentStateFile(layout, 'impl-1');
    writeFileSync(state, JSON.stringify({ consecutive_failures: 0, running: { run_id: 'RUN-7', started_at: 'x' } }));
    const client = await connect(`${server.url}/runs/RUN-7/stream`);
    await client.next((e) => e.data.text === 'Reading the parser.');
    appendFileSync(
      file,
      line({
        type: 'assistant',
        message: { content: [{ type: 'tool_use', id: 't', name: 'Bash', input: { command: 'npm test' } }] },
      }),
    );
    await client.next((e) => e.data.text === '→ Bash npm test');
    writeFileSync(state, JSON.stringify({ consecutive_failures: 0 }));
    await client.next((e) => e.event === 'end');
    expect(client.events.map((e) => e.data.text ?? e.event)).toEqual([
      'session started (claude-x)',
      'Reading the parser.',
      '→ Bash npm test',
      'end',
    ]);
  });

  it('refuses an id that is not a run id before touching the file system, and 404s an unknown run', async () => {
    const layout = await fleetProject(FLEET);
    const { server } = await serve(layout);
    const bad = await fetch(`${server.url}/runs/..%2F..%2Fetc/stream`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await bad.json()).toMatchObject({ status: 400, field: 'id' });
    const unknown = await fetch(`${server.url}/runs/RUN-404/stream`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toBe(
      'run RUN-404: no transcript under agents/*/transcripts/',
    );
  });
});
