import { COMMAND_TASK_ROLE } from '../commandTasks.js';
import { inlineYaml } from '../keys/describe.js';
import type { RawLimit, RuleContext } from './ruleContext.js';

const EXAMPLE_GATEKEEPER = { name: 'lint-checker', role: 'gatekeeper', focus: 'lint', interval_seconds: 600 };

/** Rules that tie a top-level section to the agents, or one key of a section to another. */
export function sectionRules(ctx: RuleContext): void {
  proposerNames(ctx);
  proposalLimits(ctx);
  gatekeeper(ctx);
  curatorWeights(ctx);
  commandRole(ctx);
}

/** Command tasks are run by the tick itself; an agent claiming them would hand a shell command to a model. */
function commandRole(ctx: RuleContext): void {
  for (const { agent, index } of ctx.agents()) {
    if (agent.task_role === COMMAND_TASK_ROLE)
      ctx.problem(
        `agents[${index}].task_role`,
        `"${COMMAND_TASK_ROLE}" is reserved for command tasks, which tickfleet runs itself (commands.allow); choose another task role (example: task_role: implement)`,
      );
  }
}

/** proposal_limits and voice_weights are keyed by proposer: a name that is not one is a typo or a leftover. */
function proposerNames(ctx: RuleContext): void {
  const proposers = ctx.withRole('proposer').flatMap((a) => (a.name ? [a.name] : []));
  const known = proposers.length > 0 ? `proposers: ${proposers.join(', ')}` : 'there are no proposers';
  for (const section of ['proposal_limits', 'voice_weights'] as const) {
    for (const name of Object.keys(ctx.raw[section] ?? {})) {
      if (!proposers.includes(name))
        ctx.warn(
          `${section}.${name}`,
          `names no proposer: no agent "${name}" has role proposer (${known}); this entry has no effect`,
        );
    }
  }
}

function proposalLimits(ctx: RuleContext): void {
  const defaults = ctx.raw.proposal_defaults ?? {};
  perRunWithinActive(ctx, 'proposal_defaults', defaults, defaults);
  for (const [name, limit] of Object.entries(ctx.raw.proposal_limits ?? {})) {
    perRunWithinActive(ctx, `proposal_limits.${name}`, limit, defaults);
  }
}

/**
 * Checked only where max_per_run is written: an entry that lowers max_active
 * below an inherited max_per_run is capped when resolved, not refused.
 */
function perRunWithinActive(ctx: RuleContext, path: string, limit: RawLimit, defaults: RawLimit): void {
  const perRun = limit.max_per_run;
  const active = limit.max_active ?? defaults.max_active;
  if (perRun === undefined || active === undefined || perRun <= active) return;
  const from = limit.max_active === undefined ? ', from proposal_defaults' : '';
  ctx.problem(
    `${path}.max_per_run`,
    `must be at most max_active (${active}${from}), got ${perRun} (example: max_per_run: ${Math.min(2, active)})`,
  );
}

function gatekeeper(ctx: RuleContext): void {
  const gk = ctx.raw.gatekeeper ?? {};
  const required = gk.required_checks ?? [];
  (gk.optional_checks ?? []).forEach((check, i) => {
    if (required.includes(check))
      ctx.warn(`gatekeeper.optional_checks[${i}]`, `"${check}" is also in required_checks; it counts as required`);
  });
  if (gk.enabled !== true) return;
  // A check with a command is run by tickfleet itself; only the others need a gatekeeper agent with that focus.
  const commands = gk.commands ?? {};
  const byModel = required.filter((check) => commands[check] === undefined);
  const checkers = ctx.withRole('gatekeeper');
  if (checkers.length === 0 && (byModel.length > 0 || required.length === 0)) {
    ctx.warn(
      'gatekeeper.enabled',
      `is true but no agent has role gatekeeper: no check would ever run (example: - ${inlineYaml(EXAMPLE_GATEKEEPER)})`,
    );
  } else {
    required.forEach((check, i) => {
      if (commands[check] === undefined && !checkers.some((a) => a.focus === check)) {
        ctx.warn(
          `gatekeeper.required_checks[${i}]`,
          `no gatekeeper agent has focus ${check} and gatekeeper.commands has no ${check}: this check would never pass (example: - ${inlineYaml({ ...EXAMPLE_GATEKEEPER, name: `${check}-checker`, focus: check })})`,
        );
      }
    });
  }
}

/** Scores are compared with promote_threshold (0..1), which assumes weights that add up to 1. */
function curatorWeights(ctx: RuleContext): void {
  const weights = Object.values(ctx.raw.curator?.weights ?? {});
  if (weights.length === 0) return;
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    ctx.warn(
      'curator.weights',
      `add up to ${Number(sum.toFixed(4))}, not 1: weighted scores would not compare with promote_threshold`,
    );
  }
}
