import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate/validate.js';
import { CLI, cli } from './helpers/cli.js';
import { healthyClientEnv } from './helpers/endpoint.js';
import { tempDir } from './helpers/tmp.js';

const SEED = path.resolve('test/fixtures/config/seed');

function project(yaml: string): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, '.orchestrator'));
  const file = path.join(dir, '.orchestrator', 'agents.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

describe('tickfleet config check (built CLI)', () => {
  it('prints a compact summary of a valid file and exits 0', async () => {
    const { dir } = project(readFileSync(path.join(SEED, 'task-model.yaml'), 'utf8'));
    const out = await cli(['-C', dir, 'config', 'check'], await healthyClientEnv());
    expect(out).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '✓ .orchestrator/agents.yaml: valid, 4 agents',
        'model         task',
        'paused        no',
        'queue limits  max_incoming 20, max_claimed 5, max_open_prs 10',
        'budgets       $2.00 per run, no daily cap per agent, no daily cap for the fleet',
        'review        auto, remote origin',
        'claude        claude, max 40 turns, timeout 60m, stall 10m',
        'agents',
        '  pm-agent      product_manager  every 10m',
        '  impl-agent-1  implementer      every 3m',
        '  test-agent    tester           every 2m',
        '  review-agent  reviewer         every 5m',
        '',
      ].join('\n'),
    });
  });

  it('shows proposal and gatekeeper settings, focus and paused agents, and prints warnings to stderr', async () => {
    const yaml = [
      'model: proposal',
      'paused: true',
      'budgets: {per_run_usd: 1.5, fleet_daily_usd: 40}',
      'proposal_limits:',
      '  test-checker: {max_active: 3, max_per_run: 1}',
      'gatekeeper: {enabled: true, required_checks: [lint]}',
      'agents:',
      '  - {name: test-checker, role: proposer, focus: test_quality, interval_seconds: 86400}',
      '  - {name: curator, role: curator, interval_seconds: 90, paused: true}',
      '',
    ].join('\n');
    const { dir } = project(yaml);
    const out = await cli(['-C', dir, 'config', 'check'], await healthyClientEnv());
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      [
        '✓ .orchestrator/agents.yaml: valid, 2 agents, 1 warning',
        'model         proposal',
        'paused        yes: no agent is started',
        'queue limits  max_incoming 20, max_claimed 5, max_open_prs 10',
        'budgets       $1.50 per run, no daily cap per agent, $40.00 a day for the fleet',
        'proposals     max_active/max_per_run 5/2; test-checker 3/1',
        'gatekeeper    required lint; optional none',
        'review        auto, remote origin',
        'claude        claude, max 40 turns, timeout 60m, stall 10m',
        'agents',
        '  test-checker  proposer  every 1d   focus test_quality',
        '  curator       curator   every 90s                      paused',
        '',
      ].join('\n'),
    );
    expect(out.stderr).toBe(
      [
        '⚠ .orchestrator/agents.yaml:6 gatekeeper.enabled: is true but no agent has role gatekeeper: no check would ever run (example: - {name: lint-checker, role: gatekeeper, focus: lint, interval_seconds: 600})',
        '',
      ].join('\n'),
    );
  });

  it('--json prints the resolved configuration', async () => {
    const text = readFileSync(path.join(SEED, 'gatekeeper.yaml'), 'utf8');
    const { dir, file } = project(text);
    const out = await cli(['-C', dir, 'config', 'check', '--json']);
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as { file: string };
    expect(printed).toEqual({ ...validateConfig(text, printed.file).config });
    expect(path.basename(printed.file)).toBe(path.basename(file));
  });

  it('lists every problem on stderr and exits 1', async () => {
    const { dir, file } = project('model: tasks\nagents:\n  - name: a\n    role: tester\n    intervall_seconds: 60\n');
    const out = await cli(['-C', dir, 'config', 'check', '--json']);
    expect(out).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `✗ ${file}: 2 problems`,
        '  .orchestrator/agents.yaml:1 model: must be one of task, proposal, got "tasks" (did you mean `task`?)',
        '  .orchestrator/agents.yaml:5 agents[0].intervall_seconds: unknown key (did you mean `interval_seconds`?)',
        '',
      ].join('\n'),
    });
  });

  it('says to run init when there is no agents.yaml', async () => {
    const dir = tempDir();
    const out = await cli(['-C', dir, 'config', 'check']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `✗ ${path.join(dir, '.orchestrator', 'agents.yaml')} not found: run \`node ${CLI} init\` in ${dir} first\n`,
    );
  });
});
