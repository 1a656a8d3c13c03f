// How long a process killed inside the task queue's lock stalls the next
// user of the queue. A holder process takes the queue lock, says so, and is
// SIGKILLed; then this process times the next enqueue (or claim), from the
// kill to its return. Two kinds of holder, in the same run:
//   plain:     the lock directory names no holder (proper-lockfile alone, how
//              every lock was taken before holders were recorded), so only its
//              mtime going stale (10 s) frees it: the baseline;
//   tickfleet: the lock as tickfleet takes it now, naming its holder, which the
//              next taker finds dead.
//
//   npm run build && node bench/lock-stall.mjs [--runs 3]
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { header, median, REPO, runsArg, scratchDir } from './lib.mjs';

const dist = process.env.TICKFLEET_DIST ?? path.join(REPO, 'dist');
const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href);
const { layoutFor } = await load('core/paths.js');
const { enqueueTask } = await load('tasks/enqueue.js');
const { claimNext } = await load('tasks/claim.js');
const { taskQueue } = await load('tasks/folders.js');
const runs = runsArg(3);

const HOLDER = `
const [dist, target, mode] = process.argv.slice(1);
const { mkdirSync } = await import('node:fs');
const path = await import('node:path');
const { pathToFileURL } = await import('node:url');
mkdirSync(path.dirname(target), { recursive: true });
if (mode === 'plain') {
  const { createRequire } = await import('node:module');
  const lockfile = createRequire(path.join(dist, '..', 'package.json'))('proper-lockfile');
  await lockfile.lock(target, { realpath: false, stale: 10000, update: 5000, onCompromised: () => {} });
} else {
  const { acquireLock } = await import(pathToFileURL(path.join(dist, 'core', 'lock.js')).href);
  await acquireLock(target);
}
process.stdout.write('held\\n');
setInterval(() => {}, 60000);
`;

function holdThenKill(target, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER, dist, target, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      if (!d.toString().includes('held')) return;
      child.on('exit', () => resolve(performance.now()));
      child.kill('SIGKILL');
    });
  });
}

async function stall(mode, op) {
  const layout = layoutFor(scratchDir('tickfleet-bench-lock-'));
  mkdirSync(layout.queue, { recursive: true });
  if (op === 'claim') await enqueueTask(layout, { title: 'to claim', role: 'implement', created_by: 'bench' });
  const killedAt = await holdThenKill(taskQueue(layout).lockTarget, mode);
  if (op === 'enqueue') await enqueueTask(layout, { title: 'after the kill', role: 'implement', created_by: 'bench' });
  else {
    const r = await claimNext(layout, { role: 'implement', holder: 'bench', leaseSeconds: 600 });
    if (!r.ok) throw new Error(r.reason);
  }
  return performance.now() - killedAt;
}

console.log(`${header()}; ${runs} runs each; stall = SIGKILL of the holder to the return of the next call`);
for (const op of ['enqueue', 'claim']) {
  for (const mode of ['plain', 'tickfleet']) {
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(await stall(mode, op));
    const fmt = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
    console.log(
      `${op.padEnd(8)} ${mode === 'plain' ? 'lock naming no holder (before)' : 'lock naming its holder (now) '}  median ${fmt(median(ms))}  (${ms.map(fmt).join(', ')})`,
    );
  }
}
