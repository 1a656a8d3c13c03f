#!/usr/bin/env node
// Benchmark: the event stream of `tickfleet serve`.
//
//   npm run build && node bench/events.mjs [--runs 200]
//
// 1. Latency from a queue file's move (a rename between incoming/ and claimed/,
//    as a claim or a release makes it) to its `task.moved` event at an SSE client,
//    median and p99 over 200 moves, one at a time. Baseline in the same run: the
//    same moves seen by a bare fs.watch of the two folders in this process (the
//    kernel's notification, with no server, no chokidar and no HTTP).
// 2. 100 concurrent SSE clients while 200 moves are made: the server's RSS
//    before they connect and with them connected, and that every client got
//    every event, in order, exactly once.
//
// The server runs in its own process (bench/events-server.mjs) so its RSS is its
// own; the clients and the mover run here.
import { fork } from 'node:child_process';
import { mkdirSync, renameSync, watch, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { header, REPO, runsArg, scratchDir } from './lib.mjs';

const MOVES = runsArg(200);
const CLIENTS = 100;

const scratch = scratchDir('tickfleet-bench-events-');
const queue = path.join(scratch, '.orchestrator', 'shared', 'queue');
for (const f of ['incoming', 'claimed', 'done', 'failed']) mkdirSync(path.join(queue, f), { recursive: true });
const file = (folder) => path.join(queue, folder, 'TASK-0000beef.md');
writeFileSync(file('incoming'), '---\nid: TASK-0000beef\nrole: implement\n---\n# bench\n');
let where = 'incoming';
const move = () => {
  const to = where === 'incoming' ? 'claimed' : 'incoming';
  renameSync(file(where), file(to));
  where = to;
  return to;
};

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x) => `${x.toFixed(2)} ms`;
const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`;

/** An SSE client: calls onEvent with each event's type, id and data. */
function sse(url, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let end = buf.indexOf('\n\n');
        while (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const e = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.type = line.slice(7);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
          }
          if (e.type) onEvent(e);
          end = buf.indexOf('\n\n');
        }
      });
      resolve(req);
    });
    req.on('error', reject);
  });
}

const server = fork(path.join(REPO, 'bench', 'events-server.mjs'), [scratch], { execArgv: ['--expose-gc'] });
const ask = (m) =>
  new Promise((resolve) => {
    server.once('message', resolve);
    if (m) server.send(m);
  });
const { url } = await ask();

// --- 1. latency --------------------------------------------------------------
const baseline = [];
{
  let waiting;
  const watchers = ['incoming', 'claimed'].map((f) =>
    watch(path.join(queue, f), (_event, name) => {
      if (waiting && name === 'TASK-0000beef.md' && waiting.folder === f) {
        const w = waiting;
        waiting = undefined;
        w.resolve(performance.now());
      }
    }),
  );
  for (let i = 0; i < MOVES; i++) {
    const seen = new Promise((resolve) => {
      waiting = { folder: where === 'incoming' ? 'claimed' : 'incoming', resolve };
    });
    const t0 = performance.now();
    move();
    baseline.push((await seen) - t0);
    await new Promise((r) => setTimeout(r, 60));
  }
  for (const w of watchers) w.close();
}

const latency = [];
{
  let waiting;
  const req = await sse(`${url}/events`, (e) => {
    if (e.type === 'task.moved' && waiting && e.data.folder === waiting.folder) {
      const w = waiting;
      waiting = undefined;
      w.resolve(performance.now());
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < MOVES; i++) {
    const seen = new Promise((resolve) => {
      waiting = { folder: where === 'incoming' ? 'claimed' : 'incoming', resolve };
    });
    const t0 = performance.now();
    move();
    latency.push((await seen) - t0);
    // chokidar drops a file's event within 50 ms of its last one: a task back where it was sooner may go unseen.
    await new Promise((r) => setTimeout(r, 60));
  }
  req.destroy();
}

// --- 2. 100 clients ------------------------------------------------------------
await new Promise((r) => setTimeout(r, 500));
const idle = (await ask('rss')).rss;
const received = Array.from({ length: CLIENTS }, () => []);
const clients = [];
for (let c = 0; c < CLIENTS; c++) {
  clients.push(await sse(`${url}/events`, (e) => e.type === 'task.moved' && received[c].push(e.id)));
}
const connected = await ask('rss');
let done;
const allSeen = new Promise((r) => {
  done = r;
});
const watcherIdx = 0;
const check = setInterval(() => {
  if (received.every((r) => r.length >= MOVES)) done();
}, 20);
for (let i = 0; i < MOVES; i++) {
  move();
  // 60 ms apart, above chokidar's 50 ms window per file (see above): still far faster than a fleet moves tasks.
  await new Promise((r) => setTimeout(r, 60));
}
await Promise.race([allSeen, new Promise((r) => setTimeout(r, 20_000))]);
clearInterval(check);
const loaded = await ask('rss');
const reference = received[watcherIdx];
const complete = received.filter(
  (r) => r.length === MOVES && r.every((id, i) => id === reference[i]) && new Set(r).size === MOVES,
).length;
if (complete < CLIENTS) console.error(`events per client: ${received.map((r) => r.length).join(' ')}`);
for (const c of clients) c.destroy();
server.send('stop');
server.kill();

console.log(header());
console.log(`moves: ${MOVES}; clients: ${CLIENTS}`);
console.log(`baseline fs.watch in-process:  median ${ms(pct(baseline, 50))}  p99 ${ms(pct(baseline, 99))}`);
console.log(`move → task.moved at client:   median ${ms(pct(latency, 50))}  p99 ${ms(pct(latency, 99))}`);
console.log(
  `server RSS: idle ${mb(idle)}; ${connected.subscribers} clients connected ${mb(connected.rss)}; after ${MOVES} events ${mb(loaded.rss)}`,
);
console.log(`clients that received every event, in order, once: ${complete}/${CLIENTS}`);
process.exit(complete === CLIENTS ? 0 : 1);
