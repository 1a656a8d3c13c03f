#!/usr/bin/env node
// Benchmark: claims from a long queue.
//
//   npm run build && node bench/claims.mjs [--sizes 100,500,10000] [--runs 1] [--keep]
//
// For each size, n implement tasks wait in incoming/ (mixed priorities and ages,
// one in ten expedited). The queue index is built first by one `queueStatus` call,
// as the first tick or `queue-status` on a project would. 8 claimer processes
// (`claimNext` in a loop, each its own node process) are started once and drain
// the queues one after the other, smallest first, each drain started on a signal:
// the same 8 processes drain 500 and then 10,000 tasks. Run with
// `--sizes 10000` alone, fresh processes drain 10,000 (their first claims pay
// for V8 compiling the claim's code, and for temp files not yet recycled).
// Reported: claims per second (n / wall time from the start signal to the
// last claimer's end of that queue), p50 and p99 of each claim's latency (the
// time one `claimNext` call takes, lock wait included), and an exactly-once check
// over the claims made (every task claimed once, by one claimer, and in claimed/
// at the end). CPU ms/claim: the user and system CPU every claimer spent on that
// queue, divided by the claims made; on a VM shared with other work it moves far
// less from run to run than the rates do, so it is the figure to compare two
// builds by. One claimer alone then claims 300 tasks from a fresh queue of the
// same size, in a fresh process: its p50 is the latency without lock contention,
// its rate the serial ceiling (what the lock allows with nobody else waiting).
//
// The floor, in the same run: a bare rename(2) loop (renameSync) over the same
// files, claimed/ to another folder, one process.
//
// The baseline, in the same run: the claim as it was before the queue index
// (bench/beforeIndexClaimer.mjs: every incoming file's summary ranked at each
// claim), 8 processes making 12 claims each from a fresh queue of the same
// size; the target's 36x was against that claim's 8 claims/s, timed in an
// earlier hour.
//
// With --runs N, all of it N times over fresh queues and fresh processes, each run's
// rows printed, and the targets judged by the medians over the runs: on a VM whose
// host speed moves by half within an hour, one run says more about the hour than
// about the build.
//
// Targets: p50 of one claimer at 10,000 within 2x of that at 100; 8 claimers at
// 10,000 at least 300 claims/s.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { header, median, REPO, runsArg, scratchDir } from './lib.mjs';

const args = process.argv.slice(2);
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '100,500,10000';
const SIZES = sizesArg.split(',').map(Number);
const CLAIMERS = 8;
const ALONE = 300;
/** Claims each baseline claimer makes: enough for a steady rate, few enough that a long queue's baseline takes seconds. */
const BEFORE_INDEX_EACH = 12;
const keep = args.includes('--keep');
const RUNS = runsArg(1);
const dist = (p) => pathToFileURL(path.join(REPO, 'dist', p)).href;
const { serializeTask } = await import(dist('tasks/format.js'));
const { layoutFor } = await import(dist('core/paths.js'));
const { queueStatus } = await import(dist('tasks/queueCounts.js'));
const scratch = scratchDir('tickfleet-bench-claims-');

const CLAIMER = path.join(scratch, 'claimer.mjs');
const BEFORE_INDEX = path.join(REPO, 'bench', 'beforeIndexClaimer.mjs');
// One claimer: for each queue in turn, wait for its start signal, claim until none is left (or max), then say so.
writeFileSync(
  CLAIMER,
  `import { existsSync, writeFileSync } from 'node:fs';
const [name, ...queues] = process.argv.slice(2);
const { claimNext } = await import(${JSON.stringify(dist('tasks/claim.js'))});
const { layoutFor } = await import(${JSON.stringify(dist('core/paths.js'))});
const results = [];
for (const queue of queues) {
  const [root, max] = queue.split('|');
  const go = root + '/go';
  const layout = layoutFor(root);
  while (!existsSync(go)) await new Promise((r) => setTimeout(r, 2));
  const out = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < Number(max); i++) {
    const t = process.hrtime.bigint();
    const r = await claimNext(layout, { role: 'implement', holder: name, leaseSeconds: 3600 });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (!r.ok) break;
    out.push([r.task.id, ms]);
  }
  const cpu = process.cpuUsage(cpu0);
  results.push({ claims: out, cpuMs: (cpu.user + cpu.system) / 1000 });
  writeFileSync(root + '/done-' + name, '');
}
process.stdout.write(JSON.stringify(results));
`,
);

function project(n, label) {
  const root = path.join(scratch, `${label}-${n}`);
  const layout = layoutFor(root);
  const incoming = path.join(layout.queue, 'incoming');
  mkdirSync(incoming, { recursive: true });
  const ids = [];
  const body = '\n## Context\nSomething to do.\n\n## Acceptance Criteria\n- [ ] it works\n';
  for (let i = 0; i < n; i++) {
    const id = `TASK-${i.toString(16).padStart(8, '0')}`;
    ids.push(id);
    const created = new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % n) * 1000).toISOString();
    writeFileSync(
      path.join(incoming, `${id}.md`),
      serializeTask({
        id,
        title: `Task ${i}`,
        role: 'implement',
        priority: `P${i % 4}`,
        created,
        created_by: 'bench',
        blocked_by: [],
        expedite: i % 10 === 0,
        attempts: 0,
        max_attempts: 3,
        body,
        state: 'incoming',
        file: '',
      }),
    );
  }
  return { root, layout, ids };
}

/** Run `node <argv>`; resolves with the JSON it prints, rejects when it exits with an error. */
function nodeJson(argv) {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${path.basename(argv[0])} exit ${code}`)),
    ),
  );
}

/**
 * Start `count` claimers that will drain each queue (`{ root, max }`) in turn.
 * `drain(k)` starts queue k (every claimer at once) and resolves with its wall
 * time when all are done with it; `outputs` resolves, once they have exited,
 * with each claimer's results, one per queue.
 */
function claimers(count, queues) {
  const names = Array.from({ length: count }, (_, k) => `claimer-${k}`);
  const args = queues.map((q) => `${q.root}|${q.max}`);
  const all = Promise.all(names.map((name) => nodeJson([CLAIMER, name, ...args])));
  all.catch(() => {}); // reported by the drain waiting on it
  let started = false;
  async function drain(k) {
    // The first time, let every claimer load and wait on the signal.
    if (!started) await new Promise((r) => setTimeout(r, 1500));
    started = true;
    const { root } = queues[k];
    const start = process.hrtime.bigint();
    writeFileSync(path.join(root, 'go'), '');
    const done = () => names.every((name) => existsSync(path.join(root, `done-${name}`)));
    while (!done()) await Promise.race([new Promise((r) => setTimeout(r, 2)), all]);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { drain, outputs: all };
}

/**
 * The baseline's rate: 8 claimers of the claim before the queue index
 * (bench/beforeIndexClaimer.mjs), each loaded and its first reading of the
 * folder done before the start signal, over a fresh queue of n tasks.
 * Claims per second from the signal to the last claimer's end, and whether
 * no task was claimed twice.
 */
async function beforeIndexRate(n, label) {
  const { root } = project(n, label);
  const each = Math.min(BEFORE_INDEX_EACH, Math.floor(n / CLAIMERS));
  const names = Array.from({ length: CLAIMERS }, (_, k) => `before-${k}`);
  const outputs = Promise.all(
    names.map((name) => nodeJson([BEFORE_INDEX, path.join(REPO, 'dist'), root, String(each), name])),
  );
  outputs.catch(() => {}); // reported by the waits below
  const all = (prefix) => names.every((name) => existsSync(path.join(root, `${prefix}-${name}`)));
  while (!all('ready')) await Promise.race([new Promise((r) => setTimeout(r, 5)), outputs]);
  const start = process.hrtime.bigint();
  writeFileSync(path.join(root, 'go'), '');
  while (!all('done')) await Promise.race([new Promise((r) => setTimeout(r, 2)), outputs]);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const ids = (await outputs).flatMap((o) => o.claims.map(([id]) => id));
  if (!keep) rmSync(root, { recursive: true, force: true });
  return { rate: ids.length / (wallMs / 1000), once: new Set(ids).size === ids.length };
}

/** The claims and CPU of one queue's drain: one result per claimer. */
function drained(outputs) {
  const results = outputs.map((o) => o.claims);
  // CPU (user + system) the claimers spent on this queue, per claim: steadier than rates on a shared VM.
  const cpuPerClaim = outputs.reduce((sum, o) => sum + o.cpuMs, 0) / Math.max(1, results.flat().length);
  return { results, cpuPerClaim };
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const f1 = (x) => x.toFixed(1).padStart(7);

console.log(`${header()}`);
console.log(
  `${CLAIMERS} claimer processes, started once, drain each queue in turn; then 1 claimer alone (a fresh process) claims ${ALONE}; rename(2) floor\n`,
);
console.log(
  'tasks   index build  8 claimers: claims/s   p50 ms   p99 ms  CPU ms/claim  exactly-once   1 claimer: p50 ms  claims/s  CPU ms/claim  rename(2): p50 ms   ops/s  before the index: claims/s',
);
let failed = false;
// Per run: one claimer's p50 at each size, and 8 claimers' rate at 10,000.
const alone = {};
const at10k = [];
// Per run at 10,000: the baseline's rate (the claim before the queue index).
const before10k = [];
for (let run = 1; run <= RUNS; run++) {
  if (RUNS > 1) console.log(`run ${run} of ${RUNS} (load ${os.loadavg()[0].toFixed(2)})`);
  await oneRun(run);
}

async function oneRun(run) {
  // Every queue made and indexed first; then the same 8 claimers drain them in turn.
  const fleet = [];
  for (const n of SIZES) {
    const p = project(n, `fleet${run}`);
    const t = process.hrtime.bigint();
    await queueStatus(p.layout);
    fleet.push({ ...p, n, max: n + 1, buildMs: Number(process.hrtime.bigint() - t) / 1e6 });
  }
  const fleetClaimers = claimers(CLAIMERS, fleet);
  const walls = [];
  for (let k = 0; k < fleet.length; k++) walls.push(await fleetClaimers.drain(k));
  const outputs = await fleetClaimers.outputs;
  for (let k = 0; k < fleet.length; k++) {
    const { root, layout, ids, n, buildMs } = fleet[k];
    const { results, cpuPerClaim } = drained(outputs.map((o) => o[k]));
    const claims = results.flat();
    const lat = claims.map(([, ms]) => ms);
    const claimedIds = claims.map(([id]) => id);
    const inClaimed = readdirSync(path.join(layout.queue, 'claimed')).filter((x) => x.endsWith('.md'));
    const once =
      claimedIds.length === n &&
      new Set(claimedIds).size === n &&
      ids.every((id) => claimedIds.includes(id)) &&
      inClaimed.length === n &&
      readdirSync(path.join(layout.queue, 'incoming')).filter((x) => x.endsWith('.md')).length === 0;
    failed ||= !once;
    const rate = n / (walls[k] / 1000);
    if (n === 10_000) at10k.push(rate);

    // The floor: rename(2) over the same files, claimed/ to another folder.
    const floorDir = path.join(layout.queue, 'floor');
    mkdirSync(floorDir);
    const renames = [];
    const t = process.hrtime.bigint();
    for (const name of inClaimed) {
      const s = process.hrtime.bigint();
      renameSync(path.join(layout.queue, 'claimed', name), path.join(floorDir, name));
      renames.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const renameRate = inClaimed.length / (Number(process.hrtime.bigint() - t) / 1e9);

    // The baseline: the claim before the queue index, 8 claimers, a fresh queue of the same size.
    const before = await beforeIndexRate(n, `before${run}`);
    failed ||= !before.once;
    if (n === 10_000) before10k.push(before.rate);

    // One claimer alone, in a fresh process, from a fresh queue of the same size.
    const solo = project(n, `alone${run}`);
    await queueStatus(solo.layout);
    const soloClaimer = claimers(1, [{ root: solo.root, max: ALONE }]);
    const soloWallMs = await soloClaimer.drain(0);
    const soloOut = drained((await soloClaimer.outputs).map((o) => o[0]));
    const one = soloOut.results.flat().map(([, ms]) => ms);
    alone[n] = [...(alone[n] ?? []), median(one)];
    // The serial ceiling: what one claimer manages with the lock to itself.
    const soloRate = one.length / (soloWallMs / 1000);
    console.log(
      `${String(n).padStart(6)}  ${f1(buildMs)} ms  ${rate.toFixed(0).padStart(19)}  ${f1(pct(lat, 50))}  ${f1(pct(lat, 99))}  ${cpuPerClaim.toFixed(2).padStart(12)}  ${(once ? 'yes' : 'NO').padStart(12)}  ${f1(median(one)).padStart(17)}  ${soloRate.toFixed(0).padStart(8)}  ${soloOut.cpuPerClaim.toFixed(2).padStart(12)}  ${pct(renames, 50).toFixed(3).padStart(17)}  ${renameRate.toFixed(0).padStart(7)}  ${before.rate.toFixed(1).padStart(26)}${before.once ? '' : ' (a task claimed twice)'}`,
    );
    if (!keep) {
      rmSync(root, { recursive: true, force: true });
      rmSync(solo.root, { recursive: true, force: true });
    }
  }
}

console.log('');
const of = RUNS > 1 ? ` (median of ${RUNS} runs)` : '';
if (alone[100] !== undefined && alone[10_000] !== undefined) {
  const ratio = median(alone[10_000]) / median(alone[100]);
  const ok = ratio <= 2;
  failed ||= !ok;
  console.log(
    `p50 of one claimer, 10,000 vs 100 tasks${of}: ${ratio.toFixed(2)}x (target <= 2x)  ${ok ? 'PASS' : 'FAIL'}`,
  );
}
if (at10k.length > 0) {
  const rate = median(at10k);
  const ok = rate >= 300;
  failed ||= !ok;
  const each = RUNS > 1 ? `; runs: ${at10k.map((r) => r.toFixed(0)).join(', ')}` : '';
  console.log(
    `8 claimers at 10,000 tasks${of}: ${rate.toFixed(0)} claims/s (target >= 300)  ${ok ? 'PASS' : 'FAIL'}${each}`,
  );
  // The target's 36x was against the claim before the index in an earlier hour (8 claims/s); this is the same ratio in this run.
  const ratio = rate / median(before10k);
  const when =
    RUNS > 1
      ? `the same runs (${median(before10k).toFixed(1)} claims/s, median of ${RUNS})`
      : `the same run (${median(before10k).toFixed(1)} claims/s)`;
  console.log(
    `  ${ratio.toFixed(0)}x the claim before the queue index, timed in ${when}; the target's 300 was 36x its 8 in an earlier hour`,
  );
}
if (keep) console.log(`\nprojects kept in ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
