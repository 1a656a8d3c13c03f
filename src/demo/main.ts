#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAgentState } from '../agents/state.js';
import { layoutFor } from '../core/paths.js';
import { implementerScenario } from '../scripted-api/implementer.js';
import { scriptedApiEnv, startScriptedApi } from '../scripted-api/server.js';
import { claimableSummary } from '../tasks/claimable.js';
import { makeSampleProject } from './sampleProject.js';

/**
 * `npm run demo`: tickfleet end to end on a throwaway project, offline. The
 * real Claude Code client runs for every agent, talking to a scripted
 * Messages API server on 127.0.0.1 instead of Anthropic's, so no account is
 * needed and nothing is spent. Everything else is what a real fleet does.
 */
const AGENTS = ['impl-1', 'impl-2', 'tester'];
const MAX_TICKS = 12;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickfleet-demo-'));
  const root = makeSampleProject(dir);
  const cli = path.join(root, 'orchestrator', 'dist', 'bundle', 'cli.js');
  const claude = path.join(root, 'orchestrator', 'node_modules', '.bin', 'claude');
  const run = (...args: string[]): string =>
    execFileSync(process.execPath, [cli, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  const show = (...args: string[]) => {
    say(`\n$ tickfleet ${args.map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`);
    process.stdout.write(indent(run(...args)));
  };

  say(`tickfleet demo: a sample project in ${root}, with tickfleet at orchestrator/`);
  const api = await startScriptedApi({ scenario: implementerScenario() });
  say(`a scripted Messages API server on ${api.url} stands in for the model (offline; the client is real)`);
  try {
    show('init', '-y', '--no-skills', '--no-claude-md');
    writeFileSync(
      layoutFor(root).agentsYaml,
      agentsYaml(claude, { ...scriptedApiEnv(api), CLAUDE_CONFIG_DIR: path.join(dir, 'claude-config') }),
    );
    say('\nagents.yaml: two implementers and a tester; the local review back end; `npm test` before merging');
    show('config', 'check');

    const first = run(
      'enqueue',
      'Add a farewell function',
      '--role',
      'implement',
      '--priority',
      'P1',
      '--context',
      'greet() has no counterpart.',
      '--criteria',
      'farewell(name) returns "Goodbye, <name>!"',
      '--json',
    );
    const firstId = (JSON.parse(first) as { id: string }).id;
    say(`\n$ tickfleet enqueue "Add a farewell function" --role implement --priority P1 …\n  ${firstId} created`);
    show(
      'enqueue',
      'Validate the name passed to greet()',
      '--role',
      'implement',
      '--blocked-by',
      firstId,
      '--criteria',
      'an empty name throws',
    );
    show(
      'enqueue',
      'Cover greet() edge cases',
      '--role',
      'test',
      '--criteria',
      'names with spaces and unicode are tested',
    );
    show('scheduler', '--dry-run');

    let tick = 0;
    const tickWhileWork = async () => {
      for (const last = tick + MAX_TICKS; tick < last && workLeft(root) > 0; ) {
        say(`\n── tick ${++tick} ──`);
        show('scheduler');
        await runsEnded(root);
      }
    };
    await tickWhileWork();
    say(`\nThe validation task waits: its blocker ${firstId} is delivered but not merged yet.`);
    show('show', firstId);
    show('review', 'list');
    show('review', 'approve', `REV-${firstId}`);
    show('merge-queue');
    say('\nMerged: the task blocked by it can start now, from a base that contains it.');
    await tickWhileWork();
    show('status');
    show('runs');
    say('\n$ git log --oneline --graph --decorate --all');
    process.stdout.write(
      indent(
        execFileSync('git', ['log', '--oneline', '--graph', '--decorate', '--all'], { cwd: root, encoding: 'utf8' }),
      ),
    );
    say(`
Where to look (the project is kept; delete ${dir} when done):
  ${root}/.orchestrator/shared/queue/       the task files, by state
  ${root}/.orchestrator/shared/reviews/     branches waiting for review
  ${root}/.orchestrator/runs/               one ledger record per run (cost, tokens, turns, outcome)
  ${root}/.orchestrator/agents/*/transcripts/  each run's stream-json transcript
  ${root}/.orchestrator/logs/               scheduler and agent logs
On a real project: see "Running it on your project" in README.md.`);
  } finally {
    await api.close();
  }
}

function agentsYaml(claude: string, env: Record<string, string>): string {
  const envLines = Object.entries(env).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  const agents = [
    ['impl-1', 'implementer'],
    ['impl-2', 'implementer'],
    ['tester', 'tester'],
  ].map(([name, role]) => `  - name: ${name}\n    role: ${role}\n    interval_seconds: 60\n`);
  return [
    '# The demo fleet. The client is real; ANTHROPIC_BASE_URL points it at the scripted server.',
    'claude:',
    `  command: [${JSON.stringify(claude)}]`,
    '  env:',
    ...envLines,
    'review:',
    '  backend: local',
    '  test_command: npm test',
    'scheduler:',
    '  max_spawns_per_tick: 3',
    '  spawn_stagger_seconds: 0',
    'agents:',
    ...agents,
  ].join('\n');
}

/** Tasks not yet finished (incoming + claimed). */
/** Tasks running or claimable now: a task blocked by an unmerged one is not work the ticks can do. */
function workLeft(root: string): number {
  const summary = claimableSummary(layoutFor(root), { wanted: { implement: 9, test: 9 } });
  return summary.claimed + Object.values(summary.claimable).reduce((a, b) => a + b, 0);
}

/** Wait for every agent's run to end (runners are detached; their state file says when). */
async function runsEnded(root: string, timeoutMs = 120_000): Promise<void> {
  const layout = layoutFor(root);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = [];
    for (const agent of AGENTS) if ((await readAgentState(layout, agent)).running) running.push(agent);
    if (running.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`runs still going after ${timeoutMs / 1000}s: ${running.join(', ')}; see ${layout.logs}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
