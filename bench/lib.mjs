// What every benchmark here shares: a fresh node process per run, wall time
// around spawnSync (process start to exit, as a user sees it) and the process's
// own peak RSS, read by a tiny module preloaded with `--import` that writes
// process.resourceUsage().maxRSS to fd 3 on exit. Baselines run with the same
// preload, so both sides pay the same small cost for it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function scratchDir(prefix = 'tickfleet-bench-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rssReporter(dir) {
  const file = path.join(dir, 'rss.mjs');
  writeFileSync(
    file,
    "import { writeSync } from 'node:fs';\nprocess.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n",
  );
  return pathToFileURL(file).href;
}

/** One run of `node <argv>`: wall ms, peak RSS in KB, exit status and output. */
export function measureNode(reporter, argv, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', reporter, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    ms,
    rssKb: Number(r.output[3]?.toString() || NaN),
    status: r.status,
    stdout: r.stdout.toString(),
    stderr: r.stderr.toString(),
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runsArg(defaultRuns) {
  const args = process.argv.slice(2);
  return Number(args[args.indexOf('--runs') + 1]) || defaultRuns;
}

export function header() {
  return `node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`;
}
