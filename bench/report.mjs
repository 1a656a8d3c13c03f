#!/usr/bin/env node
// Benchmark: `tickfleet report --json` (the morning report) on a project with
// 1,000 and 10,000 task files and a ledger of 30 days x 500 runs, next to a
// bare `node -e 0` measured the same way in the same run.
//
//   npm run build && node bench/report.mjs [--runs 7]
//
// Task ends are spread over the last 72 h (file times included), so about a
// third of done/ and failed/ was written in the 24 h window: the report parses
// those in full, counts what waits from file heads (as queue-status does),
// reads the ledger folders of its window only, the verdict store and
// `git rev-list`.
// Runs alternate baseline/command; one warm-up each is discarded; medians.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, header, measureNode, median, REPO, rssReporter, runsArg, scratchDir } from './lib.mjs';

const SIZES = [1_000, 10_000];
const DAYS = 30;
const RUNS_PER_DAY = 500;
const runs = runsArg(7);
const { serializeTask } = await import(pathToFileURL(path.join(REPO, 'dist', 'tasks', 'format.js')).href);
const scratch = scratchDir();
const reporter = rssReporter(scratch);

function localDay(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function makeProject(n) {
  const root = path.join(scratch, `p${n}`);
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(root, 'README.md'), '# bench\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  const orch = path.join(root, '.orchestrator');
  const queue = path.join(orch, 'shared', 'queue');
  for (const s of ['incoming', 'claimed', 'done', 'failed']) mkdirSync(path.join(queue, s), { recursive: true });
  writeFileSync(path.join(orch, 'agents.yaml'), 'agents:\n  - name: impl-1\n    role: implementer\n');
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const state = i % 10 < 7 ? 'done' : i % 10 < 8 ? 'failed' : 'incoming';
    const id = `TASK-${i.toString(16).padStart(8, '0')}`;
    const stageAt = new Date(now - (i % 72) * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const text = serializeTask({
      id,
      title: `Task number ${i}`,
      role: i % 3 ? 'implement' : 'test',
      priority: 'P2',
      created: '2026-01-01T00:00:00Z',
      created_by: 'pm',
      blocked_by: [],
      expedite: false,
      attempts: 1,
      max_attempts: 3,
      ...(state === 'done' ? { stage: 'merged', stage_at: stageAt } : {}),
      ...(state === 'failed' ? { error: 'timed out' } : {}),
      body: '\n## Context\nSomething to do.\n\n## Handoff\nDone, with tests.\n',
      state,
      file: '',
    });
    const file = path.join(queue, state, `${id}.md`);
    writeFileSync(file, text);
    // A task's file is written when it ends: spread the ends over the last 72 h, as a fleet's done/ would be.
    if (state !== 'incoming') utimesSync(file, new Date(stageAt), new Date(stageAt));
  }
  for (let d = 0; d < DAYS; d++) {
    const day = new Date(now - d * 86_400_000);
    const dir = path.join(orch, 'runs', localDay(day));
    mkdirSync(dir, { recursive: true });
    for (let r = 0; r < RUNS_PER_DAY; r++) {
      const started = new Date(day.getTime() - r * 60_000).toISOString();
      const record = {
        run_id: `r${d}-${r}`,
        agent: 'impl-1',
        role: r % 4 ? 'implementer' : 'tester',
        task_id: `TASK-${(r % n).toString(16).padStart(8, '0')}`,
        started_at: started,
        finished_at: started,
        duration_ms: 60_000,
        outcome: r % 7 ? 'success' : 'timeout',
        reason: 'bench',
        cost_usd: 0.1,
        tokens: { input: 1, output: 1, cache_read: 0, cache_creation: 0 },
        turns: 3,
      };
      writeFileSync(path.join(dir, `${record.run_id}.json`), JSON.stringify(record));
    }
  }
  return root;
}

console.log(`${header()}, ${runs} runs each (medians)`);
console.log(`ledger: ${DAYS} days x ${RUNS_PER_DAY} runs`);
console.log('tasks        baseline (node -e 0)    report --json           ratio');
let failed = false;
for (const n of SIZES) {
  const root = makeProject(n);
  const argv = [path.join(REPO, 'dist', 'bundle', 'cli.js'), '-C', root, 'report', '--json'];
  const check = measureNode(reporter, argv);
  if (check.status !== 0 || !('cost' in JSON.parse(check.stdout || '{}'))) {
    console.log(`${n}: command failed (exit ${check.status}): ${check.stderr.split('\n')[0]}`);
    failed = true;
    continue;
  }
  measureNode(reporter, ['-e', '0']);
  const base = [];
  const cmd = [];
  for (let i = 0; i < runs; i++) {
    base.push(measureNode(reporter, ['-e', '0']));
    cmd.push(measureNode(reporter, argv));
  }
  const b = median(base.map((x) => x.ms));
  const c = median(cmd.map((x) => x.ms));
  const fmt = (ms, kb) => `${ms.toFixed(0).padStart(5)} ms ${(kb / 1024).toFixed(0).padStart(4)} MB`.padEnd(24);
  console.log(
    `${String(n).padEnd(13)}${fmt(b, median(base.map((x) => x.rssKb)))}${fmt(c, median(cmd.map((x) => x.rssKb)))}${(c / b).toFixed(1)}x`,
  );
}
process.exitCode = failed ? 1 : 0;
