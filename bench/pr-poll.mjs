#!/usr/bin/env node
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, header, idleFleetProject, measureNode, median, REPO, rssReporter, runsArg, scratchDir } from './lib.mjs';

const runs = runsArg(9);
const OPEN_PRS = 100;
const CLI = path.join(REPO, 'dist', 'bundle', 'cli.js');
const FAKE_GH_DIR = path.join(REPO, 'test', 'fixtures', 'fake-gh-state');
const scratch = scratchDir('tickfleet-bench-pr-poll-');
const reporter = rssReporter(scratch);
const dist = (p) => import(pathToFileURL(path.join(REPO, 'dist', p)).href);
const { serializeTask } = await dist('tasks/format.js');
const { followPullRequests } = await dist('review/pulls/follow.js');
const { ghFor, pollPullRequests, POLL_FIELDS, POLL_LIMIT } = await dist('review/pulls/poll.js');
const { layoutFor } = await dist('core/paths.js');
chmodSync(path.join(FAKE_GH_DIR, 'gh'), 0o755);

// The project.
const { root, task, writeConfig } = idleFleetProject(scratch, serializeTask);
const configWith = (backend) => writeConfig(`review:\n  backend: ${backend}\n`);
for (let i = 0; i < 1_000; i++) task(i, i % 3 === 0 ? 'incoming' : 'done');

// 100 delivered tasks, each with a branch and an open PR: CI checks passing, one tickfleet status.
const state = { prs: [], statuses: {}, comments: [], runs: {}, calls: [] };
for (let n = 1; n <= OPEN_PRS; n++) {
  const id = `TASK-${(0x10000 + n).toString(16).padStart(8, '0')}`;
  const branch = `agent/${id}`;
  git(root, 'branch', branch, 'main');
  const head = git(root, 'rev-parse', branch);
  const url = `https://github.com/acme/widgets/pull/${n}`;
  task(0x10000 + n, 'done', { result: { branch, head, pr: url } });
  state.prs.push({
    number: n,
    url,
    headRefName: branch,
    headRefOid: `${head.slice(0, 34)}${n.toString(16).padStart(6, '0')}`,
    baseRefName: 'main',
    state: 'OPEN',
    reviewDecision: n % 4 === 0 ? 'REVIEW_REQUIRED' : '',
    checks: [
      {
        name: 'build',
        status: 'COMPLETED',
        conclusion: 'SUCCESS',
        detailsUrl: `https://github.com/acme/widgets/actions/runs/${9000 + n}/job/1`,
      },
      {
        name: 'test',
        status: 'COMPLETED',
        conclusion: 'SUCCESS',
        detailsUrl: `https://github.com/acme/widgets/actions/runs/${9000 + n}/job/2`,
      },
    ],
    reviews: [],
  });
  state.statuses[state.prs.at(-1).headRefOid] = [
    { context: 'tickfleet/lint', state: 'success', description: 'lint passed' },
  ];
}
// People's PRs in the same repository: polled, never followed.
for (let n = OPEN_PRS + 1; n <= OPEN_PRS + 20; n++) {
  state.prs.push({
    number: n,
    url: `https://github.com/acme/widgets/pull/${n}`,
    headRefName: `feature/by-hand-${n}`,
    headRefOid: 'f'.repeat(40),
    baseRefName: 'main',
    state: 'OPEN',
    checks: [],
    reviews: [],
  });
}
const ghState = path.join(scratch, 'gh-state.json');
writeFileSync(ghState, JSON.stringify(state));
const env = { ...process.env, PATH: `${FAKE_GH_DIR}${path.delimiter}${process.env.PATH}`, FAKE_GH_STATE: ghState };

const argv = [CLI, '-C', root, 'scheduler', '--json'];
const check = (backend) => {
  configWith(backend);
  const r = measureNode(reporter, argv, { env });
  const report = JSON.parse(r.stdout);
  if (!report.ran || report.started.length !== 0 || report.plan.decisions.some((d) => d.code !== 'not_due'))
    throw new Error(`the ${backend} tick did not find every agent not due: ${r.stdout.slice(0, 300)} ${r.stderr}`);
  if (backend === 'github' && report.lines.some((l) => /PR poll failed|following PRs stopped|PR #/.test(l)))
    throw new Error(`the github tick did more than poll: ${report.lines.join('\n')}`);
};
check('local');
check('github');

console.log(`${header()}, ${runs} runs each (medians)\n`);
const base = [];
const ghAlone = [];
const local = [];
const github = [];
for (let i = 0; i < runs; i++) {
  base.push(measureNode(reporter, ['-e', '0'], { env }));
  ghAlone.push(
    measureNode(
      reporter,
      [
        path.join(FAKE_GH_DIR, 'gh'),
        'pr',
        'list',
        '--state',
        'all',
        '--json',
        POLL_FIELDS,
        '--limit',
        String(POLL_LIMIT),
      ],
      { env },
    ),
  );
  configWith('local');
  local.push(measureNode(reporter, argv, { env }));
  configWith('github');
  github.push(measureNode(reporter, argv, { env }));
}
const ms = (xs) => median(xs.map((x) => x.ms));
const mb = (xs) => median(xs.map((x) => x.rssKb)) / 1024;
const row = (name, xs, note = '') =>
  console.log(`   ${name.padEnd(40)} ${ms(xs).toFixed(0).padStart(5)} ms  ${mb(xs).toFixed(0).padStart(3)} MB${note}`);
console.log(`1. a tick with nothing due: 20 agents, 1,100 tasks, ${OPEN_PRS} open tickfleet PRs (+20 of people)`);
row('node -e 0', base);
row('the fake gh pr list alone', ghAlone);
row('tick, review.backend local (idle)', local);
row(
  'tick, review.backend github',
  github,
  `   +${(ms(github) - ms(local)).toFixed(0)} ms for the poll and the follow step`,
);

// 2. In process.
const layout = layoutFor(root);
const gh = ghFor(root, { env });
const polls = [];
const follows = [];
let prs = [];
for (let i = 0; i < runs; i++) {
  let t = process.hrtime.bigint();
  prs = await pollPullRequests(gh);
  polls.push(Number(process.hrtime.bigint() - t) / 1e6);
  t = process.hrtime.bigint();
  const actions = await followPullRequests(layout, prs, {
    gh,
    clock: { now: () => new Date() },
    maxAttempts: 3,
    maxIncoming: 10_000,
  });
  follows.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (actions.length > 0) throw new Error(`the follow step acted: ${JSON.stringify(actions[0])}`);
}
if (prs.length !== OPEN_PRS) throw new Error(`the poll kept ${prs.length} PRs, expected ${OPEN_PRS}`);
console.log(`\n2. in process, ${OPEN_PRS} open tickfleet PRs`);
console.log(
  `   ${'the poll (gh pr list, parse, filter)'.padEnd(40)} ${median(polls).toFixed(1).padStart(7)} ms   (one fake gh start: a node start)`,
);
console.log(
  `   ${'the follow step, nothing new'.padEnd(40)} ${median(follows).toFixed(1).padStart(7)} ms   (no task read, no gh call)`,
);
console.log('   finding which branches need checks: the gatekeeper step, see bench/checks.mjs');

if (process.argv.includes('--keep')) console.log(`\nproject kept in ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
