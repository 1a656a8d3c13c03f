import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Layout } from '../src/core/paths.js';
import { writeLedgerRecord } from '../src/ledger/ledger.js';
import { sendMessage } from '../src/messages/send.js';
import { createLocalReview } from '../src/review/local.js';
import { apiKeyFile } from '../src/serve/apiKey.js';
import { openServe, type Serving } from '../src/serve/app.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { CLI } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

const AGENTS = `review:
  backend: local
agents:
  - name: impl-1
    role: implementer
  - name: test-1
    role: tester
`;

const open: Serving[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A real project and `tickfleet serve` on it, on a free port of 127.0.0.1. */
async function serving(env: NodeJS.ProcessEnv = {}): Promise<{ layout: Layout; server: Serving }> {
  const layout = await fleetProject(AGENTS);
  const server = await openServe(layout, { port: 0, env });
  open.push(server);
  return { layout, server };
}

interface Answer {
  status: number;
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, checked field by field by the assertions that read it
  body: any;
  headers: Headers;
}

async function call(
  server: Serving,
  method: string,
  path: string,
  options: { key?: string | 'bearer' | 'header'; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key === 'bearer' || options.key === undefined) {
    if (options.key === 'bearer') headers.Authorization = `Bearer ${server.apiKey.key}`;
  } else if (options.key === 'header') headers['X-Api-Key'] = server.apiKey.key;
  else headers.Authorization = `Bearer ${options.key}`;
  if (options.body !== undefined || options.raw !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text === '' ? undefined : JSON.parse(text),
    headers: res.headers,
  };
}

function expectProblem(a: Answer, status: number, field?: string): void {
  expect(a.status).toBe(status);
  expect(a.type).toMatch(/^application\/problem\+json/);
  expect(a.body).toMatchObject({ type: 'about:blank', status, title: expect.any(String), detail: expect.any(String) });
  if (field === undefined) expect(a.body.field).toBeUndefined();
  else expect(a.body.field).toBe(field);
}

describe('tickfleet serve: the key and the bind', () => {
  it('generates a key into .orchestrator/api-key with mode 0600, and reuses it on the next start', async () => {
    const { layout, server } = await serving();
    const file = apiKeyFile(layout);
    expect(server.apiKey).toMatchObject({ source: 'generated', file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(server.apiKey.key);
    expect(server.apiKey.key.length).toBeGreaterThanOrEqual(32);

    chmodSync(file, 0o644);
    const again = await openServe(layout, { port: 0, env: {} });
    open.push(again);
    expect(again.apiKey).toMatchObject({ source: 'file', key: server.apiKey.key });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('takes TICKFLEET_API_KEY over the file, and only then binds beyond loopback', async () => {
    const { layout } = await serving();
    await expect(openServe(layout, { host: '0.0.0.0', port: 0, env: {} })).rejects.toThrow(
      /--host 0\.0\.0\.0 would expose the fleet beyond this machine: set TICKFLEET_API_KEY/,
    );
    const wide = await openServe(layout, { host: '0.0.0.0', port: 0, env: { TICKFLEET_API_KEY: 's3cret-key' } });
    open.push(wide);
    expect(wide.apiKey).toEqual({ key: 's3cret-key', source: 'env' });
    expect(wide.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    // Over loopback a read is open; a write needs the env key, not the file's.
    const local = { ...wide, url: wide.url.replace('0.0.0.0', '127.0.0.1') };
    expect((await call(local, 'GET', '/health')).status).toBe(200);
    const fileKey = readFileSync(apiKeyFile(layout), 'utf8').trim();
    expectProblem(await call(local, 'POST', '/fleet/pause', { key: fileKey }), 401);
    expect((await call(local, 'POST', '/fleet/pause', { key: 's3cret-key' })).status).toBe(200);
  });
});

describe('tickfleet serve: reads', () => {
  it('answers the probes, the status and the queue counts', async () => {
    const { layout, server } = await serving();
    const health = await call(server, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.type).toMatch(/^application\/json/);
    expect(health.body).toMatchObject({ ok: true, root: layout.root });

    expect((await call(server, 'GET', '/ready')).body).toEqual({ ready: true, reasons: [] });

    await enqueueTask(layout, { title: 'A', role: 'implement', created_by: 'alice' });
    const stats = await call(server, 'GET', '/stats');
    expect(stats.body.counts).toMatchObject({ incoming: 1, claimed: 0, done: 0, failed: 0 });
    expect(stats.body.byLifecycle.queued).toBe(1);

    const status = await call(server, 'GET', '/status');
    expect(status.body.root).toBe(layout.root);
    expect(status.body.agents.map((a: { name: string }) => a.name)).toEqual(['impl-1', 'test-1']);

    writeFileSync(layout.agentsYaml, 'agents: [\n');
    const notReady = await call(server, 'GET', '/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.ready).toBe(false);
    expect(notReady.body.reasons[0]).toContain('agents.yaml');
  });

  it('lists tasks with filters and a limit, and finds one by id', async () => {
    const { layout, server } = await serving();
    const a = await enqueueTask(layout, { title: 'A', role: 'implement', created_by: 'alice', plan: 'p1' });
    const b = await enqueueTask(layout, { title: 'B', role: 'test', created_by: 'bob' });

    const all = await call(server, 'GET', '/tasks');
    expect(all.body.tasks.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(all.body.tasks[0]).toMatchObject({ lifecycle: 'queued', state: 'incoming' });
    expect(all.body.more).toBe(false);

    const ids = async (q: string) =>
      (await call(server, 'GET', `/tasks?${q}`)).body.tasks.map((t: { id: string }) => t.id);
    expect(await ids('role=test')).toEqual([b.id]);
    expect(await ids('created_by=alice')).toEqual([a.id]);
    expect(await ids('plan=p1')).toEqual([a.id]);
    expect(await ids('state=incoming&lifecycle=queued&role=implement')).toEqual([a.id]);
    expect(await ids('state=done')).toEqual([]);
    const one = await call(server, 'GET', '/tasks?limit=1');
    expect(one.body.tasks).toHaveLength(1);
    expect(one.body.more).toBe(true);

    expectProblem(await call(server, 'GET', '/tasks?lifecycle=sleeping'), 400, 'lifecycle');
    expectProblem(await call(server, 'GET', '/tasks?limit=ten'), 400, 'limit');

    const found = await call(server, 'GET', `/tasks/${a.id}`);
    expect(found.body).toMatchObject({ id: a.id, title: 'A', lifecycle: 'queued', plan: 'p1' });
    expectProblem(await call(server, 'GET', '/tasks/TASK-00000000'), 404);
  });

  it('lists agents with their state and why, and one agent by name', async () => {
    const { server } = await serving();
    const agents = await call(server, 'GET', '/agents');
    expect(agents.body.map((a: { name: string }) => a.name)).toEqual(['impl-1', 'test-1']);
    for (const a of agents.body) expect(a).toMatchObject({ phase: expect.any(String), reason: expect.any(String) });
    const one = await call(server, 'GET', '/agents/test-1');
    expect(one.body).toMatchObject({ name: 'test-1', role: 'tester' });
    expectProblem(await call(server, 'GET', '/agents/nobody'), 404);
  });

  it('lists runs, messages, proposals and reviews', async () => {
    const { layout, server } = await serving();
    const started = new Date().toISOString();
    await writeLedgerRecord(layout, {
      run_id: 'run-1',
      agent: 'impl-1',
      role: 'implementer',
      task_id: 'TASK-a1',
      started_at: started,
      finished_at: started,
      duration_ms: 1000,
      outcome: 'success',
      reason: '',
      cost_usd: 0.25,
      tokens: { input: 1, output: 1, cache_read: 0, cache_creation: 0 },
      turns: 2,
    });
    const runs = await call(server, 'GET', '/runs?agent=impl-1&since=1d');
    expect(runs.body.runs.map((r: { run_id: string }) => r.run_id)).toEqual(['run-1']);
    expect(runs.body.summary).toMatchObject({ count: 1, cost_usd: 0.25 });
    expect((await call(server, 'GET', '/runs?agent=test-1')).body.runs).toEqual([]);
    expectProblem(await call(server, 'GET', '/runs?since=yesterday-ish'), 400, 'since');

    await sendMessage(layout, { type: 'question', title: 'Which base?', body: 'main or dev', from: 'impl-1' });
    const messages = await call(server, 'GET', '/messages');
    expect(messages.body).toMatchObject([{ type: 'question', title: 'Which base?', from: 'impl-1' }]);
    expect((await call(server, 'GET', '/messages?type=error')).body).toEqual([]);
    expectProblem(await call(server, 'GET', '/messages?type=gossip'), 400, 'type');

    expect((await call(server, 'GET', '/proposals')).body).toEqual([]);
    expectProblem(await call(server, 'GET', '/proposals?state=maybe'), 400, 'state');

    expect((await call(server, 'GET', '/reviews?state=all')).body).toEqual([]);
    expectProblem(await call(server, 'GET', '/reviews?state=open'), 400, 'state');
  });

  it('serves an OpenAPI 3.1 document made from the route list', async () => {
    const { server } = await serving();
    const doc = (await call(server, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/tasks/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/tasks'].get.parameters.map((p: { name: string }) => p.name)).toContain('lifecycle');
    expect(doc.paths['/tasks'].post.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(doc.paths['/tasks'].get.security).toBeUndefined();
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health',
        'GET /ready',
        'GET /stats',
        'GET /status',
        'GET /tasks',
        'GET /tasks/{id}',
        'POST /tasks',
        'POST /tasks/{id}/cancel',
        'POST /tasks/{id}/retry',
        'POST /tasks/{id}/feedback',
        'GET /agents',
        'GET /agents/{name}',
        'POST /agents/{name}/pause',
        'POST /agents/{name}/resume',
        'POST /fleet/pause',
        'POST /fleet/resume',
        'GET /runs',
        'GET /messages',
        'GET /proposals',
        'GET /reviews',
        'GET /merge-queue',
        'GET /events',
        'GET /runs/{id}/stream',
        'GET /',
        'GET /board/board.js',
        'GET /board/board.css',
        'POST /reviews/{id}/approve',
        'POST /reviews/{id}/reject',
        'GET /openapi.json',
      ].sort(),
    );
  });
});

describe('tickfleet serve: writes', () => {
  it('enqueues with the key, validated as the CLI validates, and refuses without it', async () => {
    const { layout, server } = await serving();
    const task = { title: 'Add a greeting', role: 'implement', priority: 'P1', criteria: ['it greets'] };
    expectProblem(await call(server, 'POST', '/tasks', { body: task }), 401);
    expectProblem(await call(server, 'POST', '/tasks', { body: task, key: 'wrong-key' }), 401);
    expect((await call(server, 'GET', '/tasks')).body.tasks).toEqual([]);

    expectProblem(await call(server, 'POST', '/tasks', { key: 'bearer', body: { role: 'implement' } }), 400, 'title');
    expectProblem(
      await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, title: 'two\nlines' } }),
      400,
      'title',
    );
    expectProblem(
      await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, priority: 'P9' } }),
      400,
      'priority',
    );
    const wrongRole = await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, role: 'implment' } });
    expectProblem(wrongRole, 400, 'role');
    expect(wrongRole.body.detail).toContain('did you mean implement?');
    expectProblem(
      await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, blocked_by: ['TASK-00000000'] } }),
      400,
      'blocked_by',
    );
    expectProblem(
      await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, expedite: 'yes' } }),
      400,
      'expedite',
    );
    expectProblem(await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, prio: 'P1' } }), 400, 'prio');
    expectProblem(await call(server, 'POST', '/tasks', { key: 'bearer', raw: '{"title": ' }), 400);
    expectProblem(await call(server, 'POST', '/tasks', { key: 'bearer', raw: '[1]' }), 400);
    expectProblem(
      await call(server, 'POST', '/tasks', {
        key: 'bearer',
        raw: JSON.stringify({ ...task, context: 'x'.repeat(70_000) }),
      }),
      413,
    );

    const created = await call(server, 'POST', '/tasks', { key: 'header', body: task });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Add a greeting',
      role: 'implement',
      priority: 'P1',
      lifecycle: 'queued',
      created_by: 'api',
    });
    expect(created.headers.get('location')).toBe(`/tasks/${created.body.id}`);
    expect(readFileSync(created.body.file, 'utf8')).toContain('- [ ] it greets');

    // The same limit as the CLI: max_incoming, under the queue lock.
    writeFileSync(layout.agentsYaml, `${AGENTS}queue_limits:\n  max_incoming: 1\n`);
    const full = await call(server, 'POST', '/tasks', { key: 'bearer', body: task });
    expectProblem(full, 409);
    expect(full.body.detail).toMatch(/^max_incoming reached: 1\/1/);
    expect((await call(server, 'POST', '/tasks', { key: 'bearer', body: { ...task, force: true } })).status).toBe(201);
  });

  it('cancels and retries a task, with 404 for an unknown id and 409 for the wrong state', async () => {
    const { layout, server } = await serving();
    const t = await enqueueTask(layout, { title: 'A', role: 'implement', created_by: 'alice' });
    expectProblem(await call(server, 'POST', `/tasks/${t.id}/cancel`), 401);
    const cancelled = await call(server, 'POST', `/tasks/${t.id}/cancel`, {
      key: 'bearer',
      body: { reason: 'not needed' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: t.id, lifecycle: 'cancelled', error: 'cancelled: not needed (by api)' });
    expectProblem(await call(server, 'POST', `/tasks/${t.id}/cancel`, { key: 'bearer' }), 409);
    expectProblem(
      await call(server, 'POST', `/tasks/${t.id}/cancel`, { key: 'bearer', body: { reason: 7 } }),
      400,
      'reason',
    );

    const retried = await call(server, 'POST', `/tasks/${t.id}/retry`, { key: 'bearer' });
    expect(retried.body).toMatchObject({ id: t.id, lifecycle: 'queued', attempts: 0 });
    expectProblem(await call(server, 'POST', `/tasks/${t.id}/retry`, { key: 'bearer' }), 409);
    expectProblem(await call(server, 'POST', '/tasks/TASK-00000000/retry', { key: 'bearer' }), 404);
    expectProblem(await call(server, 'POST', '/tasks/TASK-00000000/cancel', { key: 'bearer' }), 404);

    const noted = await call(server, 'POST', `/tasks/${t.id}/feedback`, {
      key: 'bearer',
      body: { text: 'keep the old flag working' },
    });
    expect(noted.status).toBe(200);
    expect(noted.body.body).toContain('## Feedback');
    expect(noted.body.body).toContain('api: keep the old flag working');
    expectProblem(
      await call(server, 'POST', `/tasks/${t.id}/feedback`, { key: 'bearer', body: { text: '  ' } }),
      400,
      'text',
    );
    expectProblem(await call(server, 'POST', `/tasks/${t.id}/feedback`, { body: { text: 'x' } }), 401);
    expectProblem(
      await call(server, 'POST', '/tasks/TASK-00000000/feedback', { key: 'bearer', body: { text: 'x' } }),
      404,
    );
  });

  it('pauses and resumes an agent and the fleet in agents.yaml', async () => {
    const { layout, server } = await serving();
    expectProblem(await call(server, 'POST', '/agents/impl-1/pause'), 401);
    const paused = await call(server, 'POST', '/agents/impl-1/pause', { key: 'header' });
    expect(paused.body).toMatchObject({ changed: true });
    expect((await call(server, 'GET', '/agents/impl-1')).body.phase).toBe('paused');
    const resumed = await call(server, 'POST', '/agents/impl-1/resume', { key: 'header' });
    expect(resumed.body.changed).toBe(true);
    expect((await call(server, 'GET', '/agents/impl-1')).body.phase).not.toBe('paused');
    expectProblem(await call(server, 'POST', '/agents/nobody/pause', { key: 'header' }), 404);

    expect((await call(server, 'POST', '/fleet/pause', { key: 'bearer' })).body.changed).toBe(true);
    expect(readFileSync(layout.agentsYaml, 'utf8')).toMatch(/^paused: true$/m);
    expect((await call(server, 'GET', '/status')).body.fleet.paused).toBe(true);
    const resumedFleet = await call(server, 'POST', '/fleet/resume', { key: 'bearer' });
    expect(resumedFleet.body).toMatchObject({ changed: true, freed: [] });
    expect((await call(server, 'GET', '/status')).body.fleet.paused).toBe(false);
  });

  it('approves and rejects local reviews', async () => {
    const { layout, server } = await serving();
    git(layout.root, 'add', '-A');
    git(layout.root, 'commit', '-qm', 'tickfleet');
    const review = createLocalReview({ layout });
    const submitted: string[] = [];
    for (const title of ['Add a greeting', 'Add a farewell']) {
      const task = await enqueueTask(layout, { title, role: 'implement', created_by: 'test' });
      git(layout.root, 'branch', `agent/${task.id}`);
      await review.submit({ taskId: task.id, branch: `agent/${task.id}`, base: 'main', title, body: '' });
      submitted.push(task.id);
    }
    const [first, second] = submitted as [string, string];
    const pending = await call(server, 'GET', '/reviews');
    expect(pending.body.map((r: { id: string }) => r.id).sort()).toEqual([`REV-${first}`, `REV-${second}`].sort());

    expectProblem(await call(server, 'POST', `/reviews/${first}/approve`), 401);
    const approved = await call(server, 'POST', `/reviews/${first}/approve`, { key: 'bearer', body: { merge: false } });
    expect(approved.status).toBe(200);
    expect(approved.body.record).toMatchObject({ state: 'approved' });
    // The reviewed task was never claimed here, so its lifecycle stays queued; the record is what moved.
    expect(approved.body.lifecycle).toBe('queued');
    // Approved without merging: it waits in the merge queue for the tick.
    const queue = await call(server, 'GET', '/merge-queue');
    expect(queue.status).toBe(200);
    expect(queue.body.waiting.map((e: { review: string }) => e.review)).toEqual([`REV-${first}`]);
    expect(queue.body.inFlight).toBeUndefined();

    expectProblem(
      await call(server, 'POST', `/reviews/REV-${second}/reject`, { key: 'bearer', body: {} }),
      400,
      'reason',
    );
    const rejected = await call(server, 'POST', `/reviews/REV-${second}/reject`, {
      key: 'bearer',
      body: { reason: 'needs a test', rework: false },
    });
    expect(rejected.body).toMatchObject({ record: { state: 'rejected' } });
    expect(rejected.body.rework).toBeUndefined();
    // Known but no longer pending: a conflict with its state, in the library's words.
    const again = await call(server, 'POST', `/reviews/REV-${second}/reject`, {
      key: 'bearer',
      body: { reason: 'again' },
    });
    expectProblem(again, 409);
    expect(again.body.detail).toMatch(/only pending reviews can be rejected/);
    const all = await call(server, 'GET', '/reviews?state=all');
    expect(all.body.map((r: { state: string }) => r.state).sort()).toEqual(['approved', 'rejected']);
    expectProblem(await call(server, 'POST', '/reviews/TASK-00000000/approve', { key: 'bearer' }), 404);
  });
});

describe('tickfleet serve: refusals', () => {
  it('refuses an id that would leave its folder before it touches the file system', async () => {
    const { server } = await serving();
    expectProblem(await call(server, 'GET', '/tasks/..%2Fx'), 400, 'id');
    // fetch would resolve `..` before sending; a raw request sends the path as typed.
    const raw = await rawGet(server, '/tasks/..');
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body)).toMatchObject({ status: 400, field: 'id' });
    expect((await rawGet(server, '/tasks/../health')).status).toBe(404);
    expectProblem(await call(server, 'POST', '/tasks/..%2F..%2Fetc/cancel', { key: 'bearer' }), 400, 'id');
    expectProblem(await call(server, 'POST', '/reviews/..%2Fx/approve', { key: 'bearer' }), 400, 'id');
    expectProblem(await call(server, 'POST', '/agents/..%2Fx/pause', { key: 'bearer' }), 400, 'name');
    expectProblem(await call(server, 'GET', '/agents/a%2Fb'), 400, 'name');
  });

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const { server } = await serving();
    expectProblem(await call(server, 'GET', '/nothing/here'), 404);
    const wrong = await call(server, 'DELETE', '/tasks');
    expectProblem(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expectProblem(await call(server, 'GET', '/fleet/pause'), 405);
    // A write route refuses the wrong method before it asks for the key.
    expectProblem(await call(server, 'PUT', '/tasks/TASK-a1/cancel'), 405);
  });
});

/** A GET with the path exactly as given (no `..` resolution), as a hand-written client could send it. */
function rawGet(server: Serving, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const req = request({ hostname, port, path: pathname, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tickfleet serve (built CLI)', () => {
  it('prints its URL and the key file, answers, and exits 0 on SIGTERM', async () => {
    const layout = await fleetProject(AGENTS);
    const { TICKFLEET_API_KEY: _k, TICKFLEET_AGENT: _a, TICKFLEET_PROJECT: _p, ...env } = process.env;
    const child = spawn(process.execPath, [CLI, '-C', layout.root, 'serve', '--port', '0'], {
      env: { ...env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: string) => {
        out += c;
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(out).toContain(`writes need the key in ${apiKeyFile(layout)} (new)`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
