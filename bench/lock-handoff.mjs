#!/usr/bin/env node
// The task queue's lock alone, passed from process to process: what its
// waiters cost. N processes (8 by default, as in bench/claims.mjs) each take
// the queue lock K times through the library (withTaskLock); every hold spins
// the CPU for 1 ms, a stand-in for a claim's work. Beside it, in the same run,
// the baseline: one process taking the lock as many times, so nobody waits.
//
//   npm run build && node bench/lock-handoff.mjs [--runs 3] [--holders 8] [--holds 400]
//
// TICKFLEET_DIST=<a copy of dist/> measures that build instead (a change to
// the lock tried in a copy, alternated with the current build).
//
// It reports holds/s and, per hold, the CPU spent: "waiting" is
// the CPU of the waiters' main threads from asking for the lock to holding it,
// read from /proc/thread-self/schedstat, so the spin is never counted in it;
// "process" is all CPU of all processes (thread pool and V8's threads
// included) over the holds. On 2 cores the holders share the CPUs, so every
// millisecond a waiter spends is one the holder may not get: this is the
// number a cheaper wait lowers. No target; the figures go in
// docs/internals.md (queue lock).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { header, median, REPO, runsArg, scratchDir } from './lib.mjs';

const HOLD_MS = 1;
const argValue = (name, fallback) => {
  const args = process.argv.slice(2);
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

/** CPU time of the calling thread, ms (Linux). */
const threadCpuMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;

if (process.argv[2] === '--holder') {
  const [, , , root, holds] = process.argv;
  const dist = process.env.TICKFLEET_DIST ?? path.join(REPO, 'dist');
  const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href);
  const { layoutFor } = await load('core/paths.js');
  const { withTaskLock } = await load('tasks/store.js');
  const layout = layoutFor(root);
  // One hold before the start, so each process has made its lock folder watch and compiled the path.
  await withTaskLock(layout, async () => {});
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const cpu0 = process.cpuUsage();
  let waitingMs = 0;
  for (let i = 0; i < Number(holds); i++) {
    const asked = threadCpuMs();
    await withTaskLock(layout, async () => {
      waitingMs += threadCpuMs() - asked;
      const until = performance.now() + HOLD_MS;
      while (performance.now() < until);
    });
  }
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ waitingMs, processMs: (cpu.user + cpu.system) / 1000 })}\n`);
  // stdin (the start signal's pipe) would keep the process alive.
  process.exit(0);
}

/** N holder processes, started together once all are ready: holds/s, and CPU per hold over all of them. */
async function round(holders, holds) {
  const root = scratchDir('tickfleet-bench-lock-');
  const children = Array.from({ length: holders }, () =>
    spawn(process.execPath, [process.argv[1], '--holder', root, String(holds)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((child) => {
    const out = [];
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += d;
      for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
        out.push(buffered.slice(0, at));
        buffered = buffered.slice(at + 1);
      }
    });
    return out;
  });
  const until = (pred) =>
    new Promise((resolve) => {
      const check = () => (pred() ? resolve() : setTimeout(check, 5));
      check();
    });
  await until(() => lines.every((l) => l.length >= 1));
  const start = performance.now();
  for (const child of children) child.stdin.write('go\n');
  await until(() => lines.every((l) => l.length >= 2));
  const wallMs = performance.now() - start;
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  rmSync(root, { recursive: true, force: true });
  const results = lines.map((l) => JSON.parse(l[1]));
  const total = holders * holds;
  return {
    perSecond: (total / wallMs) * 1000,
    waitingMs: results.reduce((s, r) => s + r.waitingMs, 0) / total,
    processMs: results.reduce((s, r) => s + r.processMs, 0) / total,
  };
}

if (process.platform !== 'linux') {
  console.error('bench/lock-handoff.mjs reads /proc/thread-self/schedstat: it runs on Linux only');
  process.exitCode = 2;
} else {
  const runs = runsArg(3);
  const holders = argValue('--holders', 8);
  const holds = argValue('--holds', 400);
  console.log(header());
  console.log(
    `${holders} processes take the queue lock ${holds} times each, every hold spinning ${HOLD_MS} ms; baseline: 1 process, ${holders * holds} holds`,
  );
  const alone = [];
  const shared = [];
  for (let r = 0; r < runs; r++) {
    alone.push(await round(1, holders * holds));
    shared.push(await round(holders, holds));
  }
  const row = (label, xs) => {
    const pick = (k) => median(xs.map((x) => x[k]));
    return `${label.padEnd(24)}${pick('perSecond').toFixed(0).padStart(8)}${pick('waitingMs').toFixed(3).padStart(16)}${pick('processMs').toFixed(3).padStart(16)}`;
  };
  console.log(
    `${''.padEnd(24)}${'holds/s'.padStart(8)}${'waiting CPU ms'.padStart(16)}${'process CPU ms'.padStart(16)}   (per hold, medians of ${runs})`,
  );
  console.log(row('1 process (baseline)', alone));
  console.log(row(`${holders} processes`, shared));
  const extra = median(shared.map((x) => x.processMs)) - median(alone.map((x) => x.processMs));
  console.log(
    `each hand-off between ${holders} processes costs ${extra.toFixed(2)} ms more CPU than a hold nobody waits for`,
  );
}
