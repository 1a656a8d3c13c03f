#!/usr/bin/env node
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, header, idleFleetProject, measureNode, median, REPO, rssReporter, runsArg, scratchDir } from './lib.mjs';

const runs = runsArg(9);
const BRANCHES = 100;
const CHECKS = ['lint', 'tests'];
const CLI = path.join(REPO, 'dist', 'bundle', 'cli.js');
const FAKE_GH_DIR = path.join(REPO, 'test', 'fixtures', 'fake-gh-state');
const scratch = scratchDir('tickfleet-bench-checks-');
const reporter = rssReporter(scratch);
const dist = (p) => import(pathToFileURL(path.join(REPO, 'dist', p)).href);
const { serializeTask } = await dist('tasks/format.js');
const { layoutFor } = await dist('core/paths.js');
const { loadConfig } = await dist('config/load.js');
const { createLocalReview } = await dist('review/local.js');
const { recordPullPoll } = await dist('review/pulls/poll.js');
const { branchSlug, headDir, writeVerdict } = await dist('gatekeeper/store.js');
const { waitingBranches } = await dist('gatekeeper/waiting.js');
chmodSync(path.join(FAKE_GH_DIR, 'gh'), 0o755);

// The project.
const { root, task, writeConfig } = idleFleetProject(scratch, serializeTask);
const layout = layoutFor(root);
const gatekeeper = (enabled) =>
  `gatekeeper:\n  enabled: ${enabled}\n  required_checks: [${CHECKS.join(', ')}]\n  commands:\n${CHECKS.map((c) => `    ${c}: "true"\n`).join('')}`;
const configWith = (backend, gatekeepers) => writeConfig(`review:\n  backend: ${backend}\n${gatekeeper(gatekeepers)}`);
for (let i = 0; i < 1_000; i++) task(i, i % 3 === 0 ? 'incoming' : 'done');

const now = new Date().toISOString();
// 100 delivered tasks, each with its own branch and commit: a pending local review and an open PR of it.
const review = createLocalReview({ layout });
const delivered = [];
const ghState = { prs: [], statuses: {}, comments: [], runs: {}, calls: [] };
for (let n = 1; n <= BRANCHES; n++) {
  const id = `TASK-${(0x10000 + n).toString(16).padStart(8, '0')}`;
  const branch = `agent/${id}`;
  const tree = git(root, 'rev-parse', 'main^{tree}');
  const head = git(root, 'commit-tree', tree, '-p', 'main', '-m', `${id}: work`);
  git(root, 'branch', branch, head);
  const url = `https://github.com/acme/widgets/pull/${n}`;
  task(0x10000 + n, 'done', { result: { branch, head, pr: url }, stage: 'in_review' });
  const { id: reviewId } = await review.submit({ taskId: id, branch, base: 'main', title: id, body: 'done' });
  delivered.push({ id, branch, head, reviewId });
  ghState.prs.push({ number: n, url, headRefName: branch, headRefOid: head, baseRefName: 'main', state: 'OPEN' });
}
const clock = { now: () => new Date() };
const pollOf = () =>
  ghState.prs.map((p) => ({ ...p, reviewDecision: '', latestReviews: [], statusCheckRollup: [], mergedAt: null }));

/** Verdicts (pass) for every check of branches [from, to), on both back ends' subjects. */
async function verdicts(from, to) {
  for (const d of delivered.slice(from, to)) {
    for (const subject of [d.reviewId, branchSlug(d.branch)])
      for (const check of CHECKS)
        await writeVerdict(layout, subject, {
          check,
          branch: d.branch,
          head: d.head,
          verdict: 'pass',
          required: true,
          summary: '`true` passed',
          findings: [],
          by: { command: 'true' },
          at: now,
        });
    // Already on the PR: a pass publishes nothing again.
    writeFileSync(
      path.join(headDir(layout, branchSlug(d.branch), d.head), 'published.json'),
      JSON.stringify({ verdicts: CHECKS.map((c) => `${c}:pass`).join(' ') }),
    );
  }
}
await verdicts(0, BRANCHES / 2);

// 1. In process: the look-up alone, verdicts for half the branches.
console.log(`${header()}, ${runs} runs each (medians)\n`);
const lookups = {};
for (const backend of ['local', 'github']) {
  configWith(backend, true);
  const { config } = await loadConfig(layout);
  if (backend === 'github') await recordPullPoll(layout, clock, { prs: pollOf() });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const found = await waitingBranches(layout, config);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const checked = found.filter((b) => b.checks.every((c) => c.verdict)).length;
    if (found.length !== BRANCHES || checked !== BRANCHES / 2)
      throw new Error(`${backend}: found ${found.length} branches, ${checked} checked`);
  }
  lookups[backend] = median(times);
}
console.log(`1. in process: which of ${BRANCHES} open branches need checks (verdicts for half of them)`);
console.log(`   ${'local: 100 pending reviews'.padEnd(44)} ${lookups.local.toFixed(1).padStart(7)} ms`);
console.log(`   ${'github: 100 open PRs in the last poll'.padEnd(44)} ${lookups.github.toFixed(1).padStart(7)} ms`);

// 2. Ticks: every branch checked, so a pass with gatekeepers on starts and publishes nothing.
await verdicts(BRANCHES / 2, BRANCHES);
const ghFile = path.join(scratch, 'gh-state.json');
writeFileSync(ghFile, JSON.stringify(ghState));
const env = { ...process.env, PATH: `${FAKE_GH_DIR}${path.delimiter}${process.env.PATH}`, FAKE_GH_STATE: ghFile };
const argv = [CLI, '-C', root, 'scheduler', '--json'];
const tick = (backend, gatekeepers) => {
  configWith(backend, gatekeepers);
  const r = measureNode(reporter, argv, { env });
  const report = JSON.parse(r.stdout);
  if (!report.ran || report.started.length !== 0 || report.plan.decisions.some((d) => d.code !== 'not_due'))
    throw new Error(`the ${backend} tick did not find every agent not due: ${r.stdout.slice(0, 300)} ${r.stderr}`);
  const busy = report.lines.filter((l) => /gatekeeper|PR poll failed|following PRs stopped|PR #/.test(l));
  if (busy.length > 0) throw new Error(`the ${backend} tick did more than look: ${busy.join('\n')}`);
  return r;
};
const cases = [
  ['local', false],
  ['local', true],
  ['github', false],
  ['github', true],
];
for (const [b, g] of cases) tick(b, g);
const base = [];
const ticks = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  base.push(measureNode(reporter, ['-e', '0'], { env }));
  for (const [k, [b, g]] of cases.entries()) ticks[k].push(tick(b, g));
}
const ms = (xs) => median(xs.map((x) => x.ms));
const mb = (xs) => median(xs.map((x) => x.rssKb)) / 1024;
const row = (name, xs, note = '') =>
  console.log(`   ${name.padEnd(44)} ${ms(xs).toFixed(0).padStart(5)} ms  ${mb(xs).toFixed(0).padStart(3)} MB${note}`);
console.log(`\n2. a tick with nothing due: 20 agents, 1,100 tasks, ${BRANCHES} open branches all checked`);
row('node -e 0', base);
row('tick, local, gatekeepers off (idle)', ticks[0]);
row('tick, local, gatekeepers on', ticks[1], `   +${(ms(ticks[1]) - ms(ticks[0])).toFixed(0)} ms`);
row('tick, github, gatekeepers off (poll)', ticks[2]);
row('tick, github, gatekeepers on', ticks[3], `   +${(ms(ticks[3]) - ms(ticks[2])).toFixed(0)} ms`);

if (process.argv.includes('--keep')) console.log(`\nproject kept in ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
