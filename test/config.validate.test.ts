import { describe, expect, it } from 'vitest';
import { formatProblem, validateConfig } from '../src/config/validate/validate.js';

/** Problems as the user reads them. */
function problems(yaml: string): string[] {
  return validateConfig(yaml, 'agents.yaml').problems.map((p) => formatProblem(p, 'agents.yaml'));
}

const agent = (extra: string) => `agents:\n  - name: a\n    role: implementer\n${extra}`;

describe('validateConfig: one message per kind of mistake', () => {
  it.each([
    [
      'an enum with a near miss',
      'model: tasks\n',
      'agents.yaml:1 model: must be one of task, proposal, got "tasks" (did you mean `task`?)',
    ],
    [
      'an enum far from any value',
      'model: waterfall\n',
      'agents.yaml:1 model: must be one of task, proposal, got "waterfall" (example: model: task)',
    ],
    [
      'a boolean written as yes',
      'paused: yes\n',
      'agents.yaml:1 paused: must be true or false, got "yes" (example: paused: true)',
    ],
    [
      'a negative count',
      'queue_limits:\n  max_incoming: -1\n',
      'agents.yaml:2 queue_limits.max_incoming: must be a non-negative integer, got -1 (example: max_incoming: 20)',
    ],
    [
      'a fraction where an integer belongs',
      'queue_limits:\n  max_claimed: 2.5\n',
      'agents.yaml:2 queue_limits.max_claimed: must be a non-negative integer, got 2.5 (example: max_claimed: 5)',
    ],
    [
      'a quoted number',
      'tasks:\n  max_attempts: "3"\n',
      'agents.yaml:2 tasks.max_attempts: must be a positive integer, got "3" (example: max_attempts: 3)',
    ],
    [
      'a section that is not a mapping',
      'queue_limits: 5\n',
      'agents.yaml:1 queue_limits: must be a mapping with the keys max_incoming, max_claimed, max_open_prs, got 5 (example: queue_limits: {max_incoming: 20, max_claimed: 5, max_open_prs: 10})',
    ],
    [
      'a range',
      'ports:\n  base: 80\n',
      'agents.yaml:2 ports.base: must be an integer from 1024 to 65535, got 80 (example: base: 41000)',
    ],
    [
      'a lower bound with a unit',
      'tasks:\n  lease_seconds: 5\n',
      'agents.yaml:2 tasks.lease_seconds: must be an integer number of seconds, at least 10, got 5 (example: lease_seconds: 300)',
    ],
    [
      'minutes that must be positive',
      'claude:\n  timeout_minutes: 0\n',
      'agents.yaml:2 claude.timeout_minutes: must be a positive number of minutes, got 0 (example: timeout_minutes: 60)',
    ],
    [
      'a price that must be positive',
      'budgets:\n  per_run_usd: 0\n',
      'agents.yaml:2 budgets.per_run_usd: must be a positive amount in USD, got 0 (example: per_run_usd: 2)',
    ],
    [
      'a threshold out of range',
      'curator:\n  promote_threshold: 6\n',
      'agents.yaml:2 curator.promote_threshold: must be a number from 0 to 1, got 6 (example: promote_threshold: 0.6)',
    ],
    [
      'an empty command',
      'claude:\n  command: ""\n',
      'agents.yaml:2 claude.command: must be a command: a string (split on spaces) or a list of words, got "" (example: command: [claude])',
    ],
    [
      'a list where a list of words belongs',
      'claude:\n  extra_args: --verbose\n',
      'agents.yaml:2 claude.extra_args: must be a list of arguments, got "--verbose" (example: extra_args: [--verbose])',
    ],
    [
      'an unknown check',
      'gatekeeper:\n  required_checks: [lint, tsts]\n',
      'agents.yaml:2 gatekeeper.required_checks[1]: must be one of lint, tests, style, architecture, security, got "tsts" (did you mean `tests`?)',
    ],
    [
      'a check listed twice',
      'gatekeeper:\n  optional_checks: [style, style]\n',
      'agents.yaml:2 gatekeeper.optional_checks[1]: "style" is listed twice',
    ],
    [
      'a bad environment name',
      'claude:\n  env:\n    9LIVES: x\n',
      'agents.yaml:3 claude.env.9LIVES: the key must be an environment variable name (letters, digits, "_", not starting with a digit), got "9LIVES" (example: DISABLE_TELEMETRY: "1")',
    ],
    [
      'a bad proposer name',
      'voice_weights:\n  Test Checker: 1\n',
      'agents.yaml:2 voice_weights.Test Checker: the key must be a name of lowercase letters, digits, "-" or "_", starting with a letter or digit, got "Test Checker" (example: architect: 1.2)',
    ],
    [
      'a weight that is not a number',
      'voice_weights:\n  architect: high\n',
      'agents.yaml:2 voice_weights.architect: must be a non-negative number, got "high" (example: architect: 1.2)',
    ],
    [
      'an empty scalar',
      'review:\n  remote:\n',
      'agents.yaml:2 review.remote: must be a remote name, got an empty value (example: remote: origin)',
    ],
    [
      'agents that are not a list',
      'agents: pm-agent\n',
      'agents.yaml:1 agents: must be a list of agents, got "pm-agent" (example: agents: [{name: impl-agent-1, role: implementer, interval_seconds: 180}])',
    ],
    [
      'an agent that is not a mapping',
      'agents:\n  - pm-agent\n',
      'agents.yaml:2 agents[0]: must be a mapping with the keys name, role, interval_seconds, paused, focus, task_role, lanes, daily_budget_usd, claude, got "pm-agent" (example: - {name: impl-agent-1, role: implementer, interval_seconds: 180})',
    ],
    [
      'the interval of the brief',
      agent('    interval_seconds: 5m\n'),
      'agents.yaml:4 agents[0].interval_seconds: must be a positive integer number of seconds, got "5m" (example: interval_seconds: 300)',
    ],
    [
      'an agent name with capitals',
      'agents:\n  - name: Impl Agent\n    role: implementer\n',
      'agents.yaml:2 agents[0].name: must be a name of lowercase letters, digits, "-" or "_", starting with a letter or digit, got "Impl Agent" (example: name: impl-agent-1)',
    ],
    [
      'a mistyped role',
      'agents:\n  - name: a\n    role: implementor\n',
      'agents.yaml:3 agents[0].role: must be one of product_manager, implementer, tester, reviewer, proposer, curator, gatekeeper, gatekeeper_coordinator, got "implementor" (did you mean `implementer`?)',
    ],
    [
      'a missing name',
      'agents:\n  - role: tester\n',
      'agents.yaml:2 agents[0].name: is required: a name of lowercase letters, digits, "-" or "_", starting with a letter or digit (example: name: impl-agent-1)',
    ],
    [
      'a missing role',
      'agents:\n  - name: a\n',
      'agents.yaml:2 agents[0].role: is required: one of product_manager, implementer, tester, reviewer, proposer, curator, gatekeeper, gatekeeper_coordinator (example: role: implementer)',
    ],
    [
      'a per-agent client setting',
      agent('    claude:\n      max_turns: 0\n'),
      'agents.yaml:5 agents[0].claude.max_turns: must be a positive integer, got 0 (example: max_turns: 40)',
    ],
    [
      'a per-agent daily budget',
      agent('    daily_budget_usd: -1\n'),
      'agents.yaml:4 agents[0].daily_budget_usd: must be a positive amount in USD, got -1 (example: daily_budget_usd: 10)',
    ],
  ])('%s', (_what, yaml, message) => {
    expect(problems(yaml)).toEqual([message]);
  });
});

describe('validateConfig: unknown keys', () => {
  it.each([
    ['pausd: true\n', 'agents.yaml:1 pausd: unknown key (did you mean `paused`?)'],
    [
      'queue_limits:\n  max_claimd: 5\n',
      'agents.yaml:2 queue_limits.max_claimd: unknown key (did you mean `max_claimed`?)',
    ],
    [
      'queue_limits:\n  max-open-prs: 5\n',
      'agents.yaml:2 queue_limits.max-open-prs: unknown key (did you mean `max_open_prs`?)',
    ],
    [
      agent('    intervall_seconds: 30\n'),
      'agents.yaml:4 agents[0].intervall_seconds: unknown key (did you mean `interval_seconds`?)',
    ],
    [agent('    interval: 30\n'), 'agents.yaml:4 agents[0].interval: unknown key (did you mean `interval_seconds`?)'],
    ['ports:\n  colour: blue\n', 'agents.yaml:2 ports.colour: unknown key (known keys here: base, stride)'],
    [
      agent('    claude:\n      bogus: 1\n'),
      'agents.yaml:5 agents[0].claude.bogus: unknown key (known keys here: command, model, max_turns, permission_mode, allowed_tools, extra_args, timeout_minutes, stall_minutes, env)',
    ],
  ])('%j', (yaml, message) => {
    expect(problems(yaml)).toEqual([message]);
  });
});

describe('validateConfig: the file as a whole', () => {
  it('reports every problem at once, in file order, with nothing resolved', () => {
    const result = validateConfig(
      'model: tasks\nqueue_limits:\n  max_claimed: x\nagents:\n  - name: a\n    role: wizard\n    interval_seconds: 0\n',
      'agents.yaml',
    );
    expect(result.config).toBeUndefined();
    expect(result.problems.map((p) => [p.line, p.path])).toEqual([
      [1, 'model'],
      [3, 'queue_limits.max_claimed'],
      [6, 'agents[0].role'],
      [7, 'agents[0].interval_seconds'],
    ]);
  });

  it('names the line of a YAML syntax error and checks nothing else', () => {
    expect(problems('model: task\nagents:\n  - name: a\n   role: tester\n')).toEqual([
      'agents.yaml:4 not valid YAML: Sequence item without - indicator',
    ]);
    expect(problems('queue_limits:\n  max_claimed: [1, 2\nmodel: tasks\n')).toEqual([
      'agents.yaml:3 not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('names a key written twice', () => {
    expect(problems('model: task\npaused: false\nmodel: proposal\n')).toEqual([
      'agents.yaml:3 not valid YAML: the key `model` appears twice in the same mapping',
    ]);
  });

  it('says where agent entries go when the file is a bare list', () => {
    expect(problems('- name: a\n  role: tester\n')).toEqual([
      'agents.yaml:1 the file must be a mapping of keys (model, paused, queue_limits, ..., agents), got a list; agent entries go under `agents:`',
    ]);
  });

  it('reads a section whose lines are all commented out as empty, not as a mistake', () => {
    const result = validateConfig(
      'budgets:\n#  per_run_usd: 5\nagents:\n  - name: a\n    role: tester\n',
      'agents.yaml',
    );
    expect(result.problems).toEqual([]);
    expect(result.config?.budgets).toEqual({ per_run_usd: 2 });
  });

  it('follows YAML anchors and aliases', () => {
    const result = validateConfig(
      'agents:\n  - name: a\n    role: tester\n    claude: &fast\n      max_turns: 5\n  - name: b\n    role: tester\n    claude: *fast\n',
      'agents.yaml',
    );
    expect(result.config?.agents.map((a) => a.claude.max_turns)).toEqual([5, 5]);
  });
});

describe('validateConfig: YAML merge keys', () => {
  it('expands `<<: *anchor`, with keys written in place winning', () => {
    const yaml =
      'agents:\n  - &impl\n    name: impl-1\n    role: implementer\n    interval_seconds: 180\n  - <<: *impl\n    name: impl-2\n';
    const result = validateConfig(yaml, 'agents.yaml');
    expect(result.problems).toEqual([]);
    expect(result.config?.agents.map((a) => [a.name, a.role, a.interval_seconds])).toEqual([
      ['impl-1', 'implementer', 180],
      ['impl-2', 'implementer', 180],
    ]);
  });

  it('checks merged keys like written ones', () => {
    expect(
      problems('agents:\n  - &a\n    name: a\n    role: tester\n    colour: red\n  - <<: *a\n    name: b\n'),
    ).toEqual([
      'agents.yaml:5 agents[0].colour: unknown key (known keys here: name, role, interval_seconds, paused, focus, task_role, lanes, daily_budget_usd, claude)',
      'agents.yaml:5 agents[1].colour: unknown key (known keys here: name, role, interval_seconds, paused, focus, task_role, lanes, daily_budget_usd, claude)',
    ]);
    expect(problems('queue_limits:\n  <<: 5\n')).toEqual([
      'agents.yaml:2 queue_limits: a merge (<<) must name a mapping, such as *defaults',
    ]);
  });
});
