import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/agentsConfig.js';
import { formatProblem, validateConfig } from '../src/config/validate/validate.js';

const SEED = path.resolve('test/fixtures/config/seed');
const read = (name: string) => readFileSync(path.join(SEED, name), 'utf8');

function load(text: string) {
  const result = validateConfig(text, '/p/.orchestrator/agents.yaml');
  return {
    ...result,
    warningLines: result.warnings.map((w) => formatProblem(w, 'agents.yaml')),
    problemLines: result.problems.map((p) => formatProblem(p, 'agents.yaml')),
  };
}

describe('the documented agents.yaml examples load unchanged', () => {
  it.each([
    ['task-model.yaml', []],
    [
      'proposal-model.yaml',
      [
        'agents.yaml:9 voice_weights.plan-reader: names no proposer: no agent "plan-reader" has role proposer (proposers: test-checker); this entry has no effect',
        'agents.yaml:10 voice_weights.architect: names no proposer: no agent "architect" has role proposer (proposers: test-checker); this entry has no effect',
      ],
    ],
    ['gatekeeper.yaml', []],
    // Fragments: they load, and the warnings say what the rest of the file must add.
    [
      'proposal-limits.yaml',
      [
        'agents.yaml:3 proposal_limits.test-checker: names no proposer: no agent "test-checker" has role proposer (there are no proposers); this entry has no effect',
        'agents.yaml agents: no agents configured: the scheduler has nothing to start (example: - {name: impl-agent-1, role: implementer, interval_seconds: 180})',
      ],
    ],
    [
      'voice-weights.yaml',
      [
        'agents.yaml:2 voice_weights.plan-reader: names no proposer: no agent "plan-reader" has role proposer (there are no proposers); this entry has no effect',
        'agents.yaml:3 voice_weights.architect: names no proposer: no agent "architect" has role proposer (there are no proposers); this entry has no effect',
        'agents.yaml:4 voice_weights.test-checker: names no proposer: no agent "test-checker" has role proposer (there are no proposers); this entry has no effect',
        'agents.yaml:5 voice_weights.app-designer: names no proposer: no agent "app-designer" has role proposer (there are no proposers); this entry has no effect',
        'agents.yaml agents: no agents configured: the scheduler has nothing to start (example: - {name: impl-agent-1, role: implementer, interval_seconds: 180})',
      ],
    ],
  ])('%s', (file, warnings) => {
    const result = load(read(file));
    expect(result.problemLines).toEqual([]);
    expect(result.config).toBeDefined();
    expect(result.warningLines).toEqual(warnings);
  });

  it('proposer-entry.yaml is one entry of `agents:`: it loads there, and alone it says where it goes', () => {
    const entry = read('proposer-entry.yaml');
    const nested = load(
      `model: proposal\nagents:\n${entry.replace(/^(?=.)/gm, '  ')}  - name: curator\n    role: curator\n`,
    );
    expect(nested.problemLines).toEqual([]);
    expect(nested.config?.agents[0]).toMatchObject({
      name: 'test-checker',
      role: 'proposer',
      focus: 'test_quality',
      interval_seconds: 86400,
      line: 3,
    });
    expect(load(entry).problemLines).toEqual([
      'agents.yaml:1 the file must be a mapping of keys (model, paused, queue_limits, ..., agents), got a list; agent entries go under `agents:`',
    ]);
  });

  it('the task-model example resolves with task roles, client settings and lines filled in', () => {
    const config = load(read('task-model.yaml')).config!;
    expect(config.agents.map((a) => [a.name, a.role, a.interval_seconds, a.task_role, a.line])).toEqual([
      ['pm-agent', 'product_manager', 600, undefined, 9],
      ['impl-agent-1', 'implementer', 180, 'implement', 13],
      ['test-agent', 'tester', 120, 'test', 17],
      ['review-agent', 'reviewer', 300, 'review', 21],
    ]);
    expect(
      config.agents.every((a) => a.paused === false && a.claude.command[0] === 'claude' && a.focus === undefined),
    ).toBe(true);
    expect(config.queue_limits).toEqual({ max_incoming: 20, max_claimed: 5, max_open_prs: 10 });
  });

  it('the gatekeeper example keeps its checks', () => {
    const config = load(read('gatekeeper.yaml')).config!;
    expect(config.gatekeeper).toEqual({
      enabled: true,
      auto_approve: false,
      required_checks: ['lint', 'tests'],
      optional_checks: ['style', 'architecture'],
      commands: {},
      max_fix_rounds: 3,
      check_timeout_minutes: 20,
    });
    expect(config.agents.map((a) => a.focus)).toEqual([undefined, 'lint', 'tests']);
  });

  it('the default agents.yaml that init writes loads without a warning', () => {
    const template = readFileSync('templates/agents.yaml', 'utf8').replace(
      '{{SCHEMA}}',
      '../schema/agents.schema.json',
    );
    const result = load(template);
    expect(result.problemLines).toEqual([]);
    expect(result.warningLines).toEqual([]);
  });
});

describe('defaults', () => {
  it('an empty file resolves to every default of the key table', () => {
    const claude = {
      command: ['claude'],
      max_turns: 40,
      extra_args: [],
      timeout_minutes: 60,
      stall_minutes: 10,
      env: {},
    };
    const expected: Config = {
      file: '/p/.orchestrator/agents.yaml',
      model: 'task',
      paused: false,
      queue_limits: { max_incoming: 20, max_claimed: 5, max_open_prs: 10 },
      proposal_limits: {},
      proposal_defaults: { max_active: 5, max_per_run: 2 },
      voice_weights: {},
      curator: { weights: { impact: 0.4, effort: 0.2, risk: 0.2, alignment: 0.2 }, promote_threshold: 0.6 },
      gatekeeper: {
        enabled: false,
        auto_approve: false,
        required_checks: [],
        optional_checks: [],
        commands: {},
        max_fix_rounds: 3,
        check_timeout_minutes: 20,
      },
      commands: { allow: [], timeout_minutes: 20, max_running: 2 },
      claude,
      budgets: { per_run_usd: 2 },
      tasks: { max_attempts: 3, lease_seconds: 300, retry_backoff_seconds: 60, max_depth: 2 },
      scheduler: { max_spawns_per_tick: 2, spawn_stagger_seconds: 2, spare_worktrees: true },
      quota: { backoff_minutes: 30 },
      review: { backend: 'auto', remote: 'origin' },
      merge_queue: { batch_size: 4, test_timeout_minutes: 30, github_merge_method: 'merge' },
      ports: { base: 41000, stride: 10 },
      metrics: {},
      agents: [],
    };
    expect(load('').config).toEqual(expected);
    expect(load('# nothing but a comment\n').config).toEqual(expected);
  });

  it('an agent gets interval 300, not paused, and the fleet-wide client settings', () => {
    const config = load('agents:\n  - name: a\n    role: gatekeeper_coordinator\n').config!;
    expect(config.agents[0]).toEqual({
      name: 'a',
      role: 'gatekeeper_coordinator',
      interval_seconds: 300,
      paused: false,
      claude: config.claude,
      line: 2,
    });
  });

  it('a per-agent claude block overrides the fleet-wide one key by key, and env is merged', () => {
    const yaml = [
      'claude:',
      '  command: node fake-claude.js --quiet',
      '  model: sonnet',
      '  env: {A: "1", B: fleet}',
      'agents:',
      '  - name: a',
      '    role: implementer',
      '    task_role: implement-ui',
      '    daily_budget_usd: 5',
      '    claude:',
      '      model: opus',
      '      max_turns: 80',
      '      env: {B: agent, C: true}',
      '',
    ].join('\n');
    const config = load(yaml).config!;
    expect(config.claude).toMatchObject({
      command: ['node', 'fake-claude.js', '--quiet'],
      model: 'sonnet',
      max_turns: 40,
      env: { A: '1', B: 'fleet' },
    });
    expect(config.agents[0]).toMatchObject({ task_role: 'implement-ui', daily_budget_usd: 5 });
    expect(config.agents[0]!.claude).toEqual({
      command: ['node', 'fake-claude.js', '--quiet'],
      model: 'opus',
      max_turns: 80,
      extra_args: [],
      timeout_minutes: 60,
      stall_minutes: 10,
      env: { A: '1', B: 'agent', C: 'true' },
    });
  });

  it('a resolved config shares no arrays with the key table or with another agent', () => {
    const config = load('agents:\n  - {name: a, role: tester}\n  - {name: b, role: tester}\n').config!;
    config.agents[0]!.claude.command.push('--mutated');
    config.gatekeeper.required_checks.push('lint');
    const again = load('agents:\n  - {name: a, role: tester}\n').config!;
    expect(config.agents[1]!.claude.command).toEqual(['claude']);
    expect(again.claude.command).toEqual(['claude']);
    expect(again.gatekeeper.required_checks).toEqual([]);
  });
});
