import { describe, expect, it } from 'vitest';
import { formatProblem, type ValidateOptions, validateConfig } from '../src/config/validate/validate.js';

function check(yaml: string, options: ValidateOptions = {}) {
  const result = validateConfig(yaml, 'agents.yaml', options);
  return {
    problems: result.problems.map((p) => formatProblem(p, 'agents.yaml')),
    warnings: result.warnings.map((p) => formatProblem(p, 'agents.yaml')),
    loaded: result.config !== undefined,
  };
}

describe('cross-field problems', () => {
  it('refuses duplicate agent names, naming the first one', () => {
    const { problems } = check(
      'agents:\n  - name: a\n    role: tester\n  - name: b\n    role: tester\n  - name: a\n    role: reviewer\n',
    );
    expect(problems).toEqual([
      'agents.yaml:6 agents[2].name: duplicate agent name "a" (also agents[0], line 2); names must be unique',
    ]);
  });

  it('refuses a max_per_run above max_active, written or inherited', () => {
    const yaml = [
      'model: proposal',
      'proposal_defaults:',
      '  max_active: 3',
      'proposal_limits:',
      '  architect:',
      '    max_active: 2',
      '    max_per_run: 3',
      '  scout:',
      '    max_per_run: 4',
      'agents:',
      '  - {name: architect, role: proposer, focus: architecture}',
      '  - {name: scout, role: proposer, focus: features}',
      '  - {name: curator, role: curator}',
      '',
    ].join('\n');
    expect(check(yaml).problems).toEqual([
      'agents.yaml:7 proposal_limits.architect.max_per_run: must be at most max_active (2), got 3 (example: max_per_run: 2)',
      'agents.yaml:9 proposal_limits.scout.max_per_run: must be at most max_active (3, from proposal_defaults), got 4 (example: max_per_run: 2)',
    ]);
    expect(check('proposal_defaults:\n  max_active: 1\n  max_per_run: 2\n').problems).toEqual([
      'agents.yaml:3 proposal_defaults.max_per_run: must be at most max_active (1), got 2 (example: max_per_run: 1)',
    ]);
  });

  it('caps an inherited max_per_run at a lower max_active instead of refusing it', () => {
    const result = validateConfig(
      'proposal_limits:\n  scout:\n    max_active: 1\nagents:\n  - {name: scout, role: proposer, focus: features}\n',
      'agents.yaml',
    );
    expect(result.config?.proposal_limits).toEqual({ scout: { max_active: 1, max_per_run: 1 } });
  });

  it('requires a focus for proposers and gatekeepers', () => {
    const { problems } = check(
      'model: proposal\nagents:\n  - name: p\n    role: proposer\n  - name: g\n    role: gatekeeper\n',
    );
    expect(problems).toEqual([
      'agents.yaml:3 agents[0].focus: is required for a proposer: one of test_quality, architecture, features, plan_reading, or a word with a prompt in .orchestrator/prompts/ (example: focus: test_quality)',
      'agents.yaml:5 agents[1].focus: is required for a gatekeeper: one of lint, tests, style, architecture, security (example: focus: lint)',
    ]);
  });

  it("limits a gatekeeper's focus to the check names", () => {
    const { problems } = check(
      'agents:\n  - name: g\n    role: gatekeeper\n    focus: tets\n  - name: h\n    role: gatekeeper\n    focus: performance\n',
    );
    expect(problems).toEqual([
      'agents.yaml:4 agents[0].focus: must be one of lint, tests, style, architecture, security for a gatekeeper, got "tets" (did you mean `tests`?)',
      'agents.yaml:7 agents[1].focus: must be one of lint, tests, style, architecture, security for a gatekeeper, got "performance" (example: focus: lint)',
    ]);
  });
});

describe('cross-field warnings (the file still loads)', () => {
  it('warns about a proposal model without a curator', () => {
    const { warnings, loaded } = check('model: proposal\nagents:\n  - {name: p, role: proposer, focus: features}\n');
    expect(loaded).toBe(true);
    expect(warnings).toEqual([
      'agents.yaml:1 model: is proposal but no agent has role curator: proposals would never be promoted (example: - {name: curator, role: curator, interval_seconds: 600})',
    ]);
  });

  it('warns about roles of the other workflow model', () => {
    const { warnings } = check(
      'agents:\n  - {name: p, role: proposer, focus: features}\n  - {name: c, role: curator}\n',
    );
    expect(warnings).toEqual([
      'agents.yaml:2 agents[0].role: a proposer runs only when model is proposal, and model is task: this agent is never started (set model: proposal, or remove the agent)',
      'agents.yaml:3 agents[1].role: a curator runs only when model is proposal, and model is task: this agent is never started (set model: proposal, or remove the agent)',
    ]);
    expect(
      check('model: proposal\nagents:\n  - {name: pm, role: product_manager}\n  - {name: c, role: curator}\n').warnings,
    ).toEqual([
      'agents.yaml:3 agents[0].role: a product_manager runs only when model is task, and model is proposal: this agent is never started (set model: task, or remove the agent)',
    ]);
  });

  it('warns about proposal_limits and voice_weights that name no proposer', () => {
    const yaml =
      'model: proposal\nproposal_limits:\n  ghost: {max_active: 1, max_per_run: 1}\nvoice_weights:\n  p: 1.2\n  impl: 2\nagents:\n  - {name: p, role: proposer, focus: features}\n  - {name: impl, role: implementer}\n  - {name: c, role: curator}\n';
    expect(check(yaml).warnings).toEqual([
      'agents.yaml:3 proposal_limits.ghost: names no proposer: no agent "ghost" has role proposer (proposers: p); this entry has no effect',
      'agents.yaml:6 voice_weights.impl: names no proposer: no agent "impl" has role proposer (proposers: p); this entry has no effect',
    ]);
  });

  it('warns about gatekeeping enabled without the agents to do it', () => {
    expect(
      check('gatekeeper:\n  enabled: true\n  required_checks: [lint]\nagents:\n  - {name: a, role: implementer}\n')
        .warnings,
    ).toEqual([
      'agents.yaml:2 gatekeeper.enabled: is true but no agent has role gatekeeper: no check would ever run (example: - {name: lint-checker, role: gatekeeper, focus: lint, interval_seconds: 600})',
    ]);
    const partial =
      'gatekeeper:\n  enabled: true\n  required_checks: [lint, tests]\n  optional_checks: [lint]\nagents:\n  - {name: co, role: gatekeeper_coordinator}\n  - {name: l, role: gatekeeper, focus: lint}\n';
    expect(check(partial).warnings).toEqual([
      'agents.yaml:3 gatekeeper.required_checks[1]: no gatekeeper agent has focus tests and gatekeeper.commands has no tests: this check would never pass (example: - {name: tests-checker, role: gatekeeper, focus: tests, interval_seconds: 600})',
      'agents.yaml:4 gatekeeper.optional_checks[0]: "lint" is also in required_checks; it counts as required',
    ]);
  });

  it('warns about a custom proposer focus without a prompt file, and not with one', () => {
    const yaml =
      'model: proposal\nagents:\n  - {name: sec, role: proposer, focus: security}\n  - {name: plans, role: proposer, focus: plan_readin}\n  - {name: c, role: curator}\n';
    expect(check(yaml).warnings).toEqual([
      'agents.yaml:3 agents[0].focus: "security" is not a built-in proposer focus (test_quality, architecture, features, plan_reading): add .orchestrator/prompts/security.md or sec.md to tell the proposer what to look for',
      'agents.yaml:4 agents[1].focus: "plan_readin" is not a built-in proposer focus (test_quality, architecture, features, plan_reading) (did you mean `plan_reading`?): add .orchestrator/prompts/plan_readin.md or plans.md to tell the proposer what to look for',
    ]);
    expect(check(yaml, { promptNames: new Set(['security', 'plans']) }).warnings).toEqual([]);
  });

  it('warns about a focus on a role that has no use for one', () => {
    expect(check('agents:\n  - {name: t, role: tester, focus: lint}\n').warnings).toEqual([
      'agents.yaml:2 agents[0].focus: only proposers and gatekeepers use a focus; it is ignored for role tester',
    ]);
  });

  it('warns about an interval shorter than the tick', () => {
    expect(check('agents:\n  - name: t\n    role: tester\n    interval_seconds: 30\n').warnings).toEqual([
      "agents.yaml:4 agents[0].interval_seconds: 30 is shorter than the scheduler's one-minute tick: the agent starts at most once a minute",
    ]);
  });

  it('warns about curator weights that do not add up to 1', () => {
    expect(
      check('curator:\n  weights: {impact: 0.5, risk: 0.2}\nagents:\n  - {name: t, role: tester}\n').warnings,
    ).toEqual([
      'agents.yaml:2 curator.weights: add up to 0.7, not 1: weighted scores would not compare with promote_threshold',
    ]);
  });

  it('warns about a fleet without agents', () => {
    expect(check('model: task\n').warnings).toEqual([
      'agents.yaml agents: no agents configured: the scheduler has nothing to start (example: - {name: impl-agent-1, role: implementer, interval_seconds: 180})',
    ]);
    expect(check('agents: []\n').warnings).toEqual([
      'agents.yaml:1 agents: no agents configured: the scheduler has nothing to start (example: - {name: impl-agent-1, role: implementer, interval_seconds: 180})',
    ]);
  });
});
