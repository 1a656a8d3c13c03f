#!/usr/bin/env node
// The merge queue against landing branches one by one, each with its own test
// run (the baseline, measured in the same run). 8 approved branches with exactly
// one culprit, and 4 all green; a real repository and a real test command (a
// shell script that sleeps like a suite, red while a CULPRIT file is in the tree).
// Counts the test runs and the wall time from the first tick to the base
// advanced with every good branch.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, header, REPO, scratchDir } from './lib.mjs';

const args = process.argv.slice(2);
const TEST_MS = Number(args[args.indexOf('--test-ms') + 1]) || 500;
const CULPRIT_AT = 6; // 1-based, in approval order: the third branch of the second batch
const scratch = scratchDir('tickfleet-bench-merge-queue-');
const dist = (p) => import(pathToFileURL(path.join(REPO, 'dist', p)).href);
const { layoutFor } = await dist('core/paths.js');
const { enqueueTask } = await dist('tasks/enqueue.js');
const { claimTask } = await dist('tasks/claim.js');
const { completeTask } = await dist('tasks/complete.js');
const { createLocalReview } = await dist('review/local.js');
const { mergeBranch } = await dist('review/mergeQueue.js');
const { runTick } = await dist('scheduler/tick.js');
const { readQueueState } = await dist('merge-queue/state.js');
const { approvedEntries } = await dist('merge-queue/entries.js');

const TEST_SH = `#!/bin/sh
sleep ${TEST_MS / 1000}
for f in CULPRIT*; do
  if [ -e "$f" ]; then echo "FAIL: $f"; exit 1; fi
done
echo ok
`;

/** A project with `count` delivered branches (the `culprit`-th red), each approved a second after the one before. */
async function project(name, count, culprit) {
  const root = path.join(scratch, name);
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(root, 'README.md'), '# bench\n');
  writeFileSync(path.join(root, 'test.sh'), TEST_SH);
  execFileSync(
    process.execPath,
    [path.join(REPO, 'dist', 'bundle', 'cli.js'), '-C', root, 'init', '-y', '--no-skills'],
    {
      stdio: 'ignore',
    },
  );
  const layout = layoutFor(root);
  writeFileSync(
    layout.agentsYaml,
    'review:\n  backend: local\n  test_command: sh test.sh\nmerge_queue:\n  batch_size: 4\nagents: []\n',
  );
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  let n = 0;
  const review = createLocalReview({ layout, clock: { now: () => new Date(Date.UTC(2026, 0, 1) + n * 1000) } });
  const branches = [];
  for (let i = 1; i <= count; i++) {
    const task = await enqueueTask(layout, { title: `change ${i}`, role: 'implement', created_by: 'bench' });
    const branch = `agent/${task.id}`;
    const file = i === culprit ? `CULPRIT-${i}.txt` : `file-${i}.txt`;
    git(root, 'checkout', '-q', '-b', branch, 'main');
    writeFileSync(path.join(root, file), `${i}\n`);
    git(root, 'add', file);
    git(root, 'commit', '-q', '-m', `${task.id}: change ${i}`);
    git(root, 'checkout', '-q', 'main');
    const claim = await claimTask(layout, task.id, { holder: 'bench', leaseSeconds: 600 });
    await completeTask(layout, task.id, claim.token, { result: { branch }, stage: 'in_review' });
    const { id } = await review.submit({ taskId: task.id, branch, base: 'main', title: task.id, body: 'done' });
    n = i;
    await review.approve(id);
    branches.push(branch);
  }
  return { layout, branches };
}

/** The queue: ticks (each a second apart at most) until nothing approved waits and no batch is in flight. */
async function queued(count, culprit) {
  const { layout } = await project(`queue-${count}-${culprit}`, count, culprit);
  const started = Date.now();
  for (;;) {
    await runTick(layout, { spawner: async () => ({ pid: 1 }) });
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      const state = await readQueueState(layout);
      if (!state.in_flight && (await approvedEntries(layout)).length === 0 && state.last.length > 0) {
        const ms = Date.now() - started;
        const runs = state.last.reduce((sum, b) => sum + b.test_runs, 0);
        const landed = state.last.reduce((sum, b) => sum + b.landed.length, 0);
        return { ms, runs, landed, batches: state.last.length };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The baseline: each branch merged on its own, one test run each (review/mergeQueue.ts, as `skip_pr` does). */
async function oneByOne(count, culprit) {
  const { layout, branches } = await project(`one-${count}-${culprit}`, count, culprit);
  const started = Date.now();
  let landed = 0;
  for (const branch of branches) {
    const r = await mergeBranch(layout, { branch, base: 'main', testCommand: 'sh test.sh' });
    if (r.merged) landed++;
  }
  return { ms: Date.now() - started, runs: branches.length, landed };
}

console.log(`${header()}; test command sleeps ${TEST_MS} ms`);
const rows = [];
for (const [count, culprit, label, target] of [
  [4, 0, '4 approved, all green', (q) => q.runs === 1],
  [8, CULPRIT_AT, `8 approved, one culprit (#${CULPRIT_AT})`, (q, b) => q.runs <= 6 && q.runs < b.runs],
]) {
  const q = await queued(count, culprit);
  const b = await oneByOne(count, culprit);
  rows.push(
    `| ${label} | ${b.runs} runs, ${(b.ms / 1000).toFixed(1)} s | ${q.runs} runs, ${(q.ms / 1000).toFixed(1)} s (${q.batches} batches) | ${q.landed} / ${b.landed} | ${target(q, b) ? 'pass' : '**miss**'} |`,
  );
}
console.log('| | one by one | merge queue | landed (queue / one by one) | target |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
