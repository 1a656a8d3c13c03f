#!/usr/bin/env node
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, header, idleFleetProject, measureNode, median, REPO, rssReporter, runsArg, scratchDir } from './lib.mjs';

/**
 * `plan import` of a 200-job plan into a queue of 1,000 tasks (first import,
 * then again with nothing new), `plan status --json`, and a command task from
 * the tick that claims it to its file in done/ — each beside `node -e 0`
 * measured in the same run.
 */
const runs = runsArg(7);
const JOBS = 200;
const CLI = path.join(REPO, 'dist', 'bundle', 'cli.js');
const scratch = scratchDir('tickfleet-bench-plans-');
const reporter = rssReporter(scratch);
const { serializeTask } = await import(pathToFileURL(path.join(REPO, 'dist', 'tasks', 'format.js')).href);

const { root, orch, task, writeConfig } = idleFleetProject(scratch, serializeTask);
writeConfig('review:\n  backend: local\ncommands:\n  allow: ["true"]\n');
for (let i = 0; i < 1_000; i++) task(i, i % 5 < 3 ? 'done' : 'incoming');

// Each job after the first two depends on the two before it; every tenth is a command.
const lines = ['# Plan: Bench', 'policy: no_refactor=true', ''];
for (let i = 0; i < JOBS; i++) {
  const deps = i >= 2 ? ` deps=j${i - 1},j${i - 2}` : '';
  const payload = i % 10 === 0 ? '@cmd:true' : `@doc:LLM_TASK step ${i} of the bench plan`;
  lines.push(`- [ ] id=j${i} lane=${(i % 3) + 1}${deps} payload=${payload}`);
}
const planFile = path.join(root, 'plan.md');
writeFileSync(planFile, `${lines.join('\n')}\n`);

const node = (argv) => measureNode(reporter, argv, { cwd: root });
const cli = (...args) => node([CLI, '-C', root, ...args]);
const ok = (r, what) => {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}: ${r.stderr}`);
  return r;
};
/** Remove what an import queued, so the next run imports the plan anew into the same 1,000 tasks. */
const undo = (report) => {
  for (const j of report.jobs)
    if (j.task) rmSync(path.join(orch, 'shared', 'queue', 'incoming', `${j.task}.md`), { force: true });
  rmSync(path.join(orch, 'shared', 'plans', 'bench.json'), { force: true });
};

console.log(`${header()}, ${runs} runs each (medians)\n`);
const base = [];
const first = [];
const again = [];
const status = [];
for (let r = 0; r < runs; r++) {
  base.push(node(['-e', '0']));
  const imported = ok(cli('plan', 'import', planFile, '--json'), 'plan import');
  first.push(imported);
  again.push(ok(cli('plan', 'import', planFile, '--json'), 'plan import again'));
  status.push(ok(cli('plan', 'status', 'bench', '--json'), 'plan status'));
  if (r < runs - 1) undo(JSON.parse(imported.stdout));
}
const report = JSON.parse(again.at(-1).stdout);
if (report.counts.unchanged !== JOBS) throw new Error(`re-import: ${JSON.stringify(report.counts)}`);

const row = (name, xs) => {
  const ms = median(xs.map((x) => x.ms));
  const mb = median(xs.map((x) => x.rssKb)) / 1024;
  const b = median(base.map((x) => x.ms));
  return `| ${name} | ${ms.toFixed(0)} ms, ${mb.toFixed(0)} MB | ${(ms / b).toFixed(2)}× | +${(ms - b).toFixed(0)} ms |`;
};
console.log(`| ${JOBS}-job plan, 1,000 tasks queued | time, peak RSS | against node -e 0 | difference |`);
console.log('|---|---|---|---|');
console.log(row('node -e 0', base));
console.log(row('plan import (first)', first));
console.log(row('plan import (again, nothing new)', again));
console.log(row('plan status --json', status));

// A command task: from the tick that claims it to its file in done/, beside `git worktree add` + remove alone.
const wtOnly = [];
const cmdTask = [];
for (let r = 0; r < runs; r++) {
  const wt = path.join(scratch, `wt-${r}`);
  const t0 = process.hrtime.bigint();
  git(root, 'worktree', 'add', '--detach', '--quiet', wt, 'main');
  git(root, 'worktree', 'remove', '--force', wt);
  wtOnly.push(Number(process.hrtime.bigint() - t0) / 1e6);

  const made = ok(cli('enqueue', `bench ${r}`, '--command', 'true', '--force', '--json'), 'enqueue');
  const id = JSON.parse(made.stdout).id;
  const done = path.join(orch, 'shared', 'queue', 'done', `${id}.md`);
  const t1 = process.hrtime.bigint();
  ok(cli('tick'), 'tick');
  while (!existsSync(done)) await new Promise((res) => setTimeout(res, 5));
  cmdTask.push(Number(process.hrtime.bigint() - t1) / 1e6);
  if (!readFileSync(done, 'utf8').includes('`true` exited 0')) throw new Error(`${id}: no output section`);
}
const b = median(base.map((x) => x.ms));
console.log(`\n| command task \`true\` | time |`);
console.log('|---|---|');
console.log(`| node -e 0 | ${b.toFixed(0)} ms |`);
console.log(`| git worktree add + remove | ${median(wtOnly).toFixed(0)} ms |`);
console.log(`| tick start → task in done/ | ${median(cmdTask).toFixed(0)} ms |`);
rmSync(scratch, { recursive: true, force: true });
