// What every benchmark here shares: a fresh node process per run, wall time
// around spawnSync (process start to exit, as a user sees it) and the process's
// own peak RSS, read by a tiny module preloaded with `--import` that writes
// process.resourceUsage().maxRSS to fd 3 on exit. Baselines run with the same
// preload, so both sides pay the same small cost for it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@x',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@x',
};

/** git in `cwd` with a bench identity; stdout trimmed. */
export const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

/**
 * The fleet the tick benchmarks share: a git project with tickfleet
 * initialised, 20 agents of mixed roles, none due (each started just now, an
 * hour's interval), the real client named but never started, and a writer of
 * task files (`task(i, state, extra)`, returning the id).
 */
export function idleFleetProject(scratch, serializeTask) {
  const root = path.join(scratch, 'project');
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(root, 'README.md'), '# bench\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  const cli = path.join(REPO, 'dist', 'bundle', 'cli.js');
  execFileSync(process.execPath, [cli, '-C', root, 'init', '-y', '--no-skills'], { stdio: 'ignore' });
  const orch = path.join(root, '.orchestrator');
  const roles = ['implementer', 'implementer', 'implementer', 'tester', 'reviewer', 'product_manager'];
  const agents = Array.from(
    { length: 20 },
    (_, i) => `  - name: agent-${i}\n    role: ${roles[i % roles.length]}\n    interval_seconds: 3600\n`,
  ).join('');
  const now = new Date().toISOString();
  for (let i = 0; i < 20; i++) {
    mkdirSync(path.join(orch, 'agents', `agent-${i}`), { recursive: true });
    writeFileSync(
      path.join(orch, 'agents', `agent-${i}`, 'state.json'),
      JSON.stringify({ consecutive_failures: 0, last_started_at: now }),
    );
  }
  const body = '\n## Context\nSomething to do.\n\n## Acceptance Criteria\n- [ ] it works\n';
  const task = (i, state, extra = {}) => {
    const id = `TASK-${i.toString(16).padStart(8, '0')}`;
    writeFileSync(
      path.join(orch, 'shared', 'queue', state, `${id}.md`),
      serializeTask({
        id,
        title: `Task ${i}`,
        role: 'implement',
        priority: 'P2',
        created: '2026-01-01T00:00:00Z',
        created_by: 'bench',
        blocked_by: [],
        expedite: false,
        attempts: 0,
        max_attempts: 3,
        body,
        state,
        file: '',
        ...extra,
      }),
    );
    return id;
  };
  // The client must be found, as on a real fleet; it is never started (no agent is due).
  const client = path.join(REPO, 'node_modules', '.bin', 'claude');
  /** agents.yaml with `head` (more top-level sections) before the client and the agents. */
  const writeConfig = (head) =>
    writeFileSync(path.join(orch, 'agents.yaml'), `${head}claude:\n  command: ["${client}"]\nagents:\n${agents}`);
  return { root, orch, task, writeConfig };
}
