import { inlineYaml } from '../keys/describe.js';
import { nearest } from '../keys/suggest.js';
import { CHECK_NAMES, DEFAULT_TASK_ROLES, FOCUS_ROLES, PROPOSER_FOCUSES, ROLE_MODEL } from '../vocabulary.js';
import type { RawAgent, RuleContext } from './ruleContext.js';

/** The scheduler ticks once a minute: a shorter interval cannot be honoured. */
const TICK_SECONDS = 60;

const EXAMPLE_AGENT = { name: 'impl-agent-1', role: 'implementer', interval_seconds: 180 };
const EXAMPLE_CURATOR = { name: 'curator', role: 'curator', interval_seconds: 600 };

/** Rules about the agents list as a whole and each agent's role-specific keys. */
export function agentRules(ctx: RuleContext): void {
  const agents = ctx.agents();
  if ((ctx.raw.agents ?? []).length === 0) {
    ctx.warn(
      'agents',
      `no agents configured: the scheduler has nothing to start (example: - ${inlineYaml(EXAMPLE_AGENT)})`,
    );
  }

  const firstByName = new Map<string, number>();
  for (const { agent, index } of agents) {
    if (agent.name === undefined) continue;
    const first = firstByName.get(agent.name);
    if (first === undefined) firstByName.set(agent.name, index);
    else
      ctx.problem(
        `agents[${index}].name`,
        `duplicate agent name "${agent.name}" (also agents[${first}], line ${ctx.lineOf(`agents[${first}]`)}); names must be unique`,
      );
  }

  const model = ctx.raw.model;
  if (model === 'proposal' && ctx.withRole('curator').length === 0) {
    ctx.warn(
      'model',
      `is proposal but no agent has role curator: proposals would never be promoted (example: - ${inlineYaml(EXAMPLE_CURATOR)})`,
    );
  }
  for (const { agent, index } of agents) {
    const only = agent.role && ROLE_MODEL[agent.role];
    if (only && model && only !== model) {
      ctx.warn(
        `agents[${index}].role`,
        `a ${agent.role} runs only when model is ${only}, and model is ${model}: this agent is never started (set model: ${only}, or remove the agent)`,
      );
    }
    if (agent.interval_seconds !== undefined && agent.interval_seconds < TICK_SECONDS) {
      ctx.warn(
        `agents[${index}].interval_seconds`,
        `${agent.interval_seconds} is shorter than the scheduler's one-minute tick: the agent starts at most once a minute`,
      );
    }
    focusRule(ctx, agent.role, agent.name, agent.focus, index);
    lanesRule(ctx, agent, index);
  }
}

/** Lanes limit what an agent claims: an empty list would claim nothing, and an agent that claims no tasks has no use for them. */
function lanesRule(ctx: RuleContext, agent: RawAgent, index: number): void {
  const lanes = agent.lanes;
  if (!Array.isArray(lanes)) return;
  const path = `agents[${index}].lanes`;
  // A list whose every item was refused already has its problems.
  if (lanes.length === 0 && !ctx.written(`${path}[0]`)) {
    ctx.problem(
      path,
      'is an empty list, so the agent would claim nothing: name its lanes, or remove the key to claim any lane',
    );
    return;
  }
  const claims =
    agent.task_role !== undefined ||
    (agent.role !== undefined && DEFAULT_TASK_ROLES[agent.role] !== undefined) ||
    (agent.role === 'gatekeeper' && agent.focus !== undefined);
  if (agent.role !== undefined && !claims)
    ctx.warn(path, `a ${agent.role} claims no tasks, so lanes do not apply: remove the key`);
}

function focusRule(
  ctx: RuleContext,
  role: string | undefined,
  name: string | undefined,
  focus: string | undefined,
  index: number,
): void {
  const path = `agents[${index}].focus`;
  if (role === undefined) return;
  if (!FOCUS_ROLES.includes(role as never)) {
    if (focus !== undefined)
      ctx.warn(path, `only proposers and gatekeepers use a focus; it is ignored for role ${role}`);
    return;
  }
  if (role === 'gatekeeper') {
    const allowed = `one of ${CHECK_NAMES.join(', ')}`;
    if (focus === undefined) {
      ctx.problem(path, `is required for a gatekeeper: ${allowed} (example: focus: lint)`);
      return;
    }
    if (CHECK_NAMES.includes(focus as never)) return;
    const guess = nearest(focus, CHECK_NAMES);
    ctx.problem(
      path,
      `must be ${allowed} for a gatekeeper, got "${focus}"${guess ? ` (did you mean \`${guess}\`?)` : ' (example: focus: lint)'}`,
    );
    return;
  }
  if (focus === undefined) {
    ctx.problem(
      path,
      `is required for a proposer: one of ${PROPOSER_FOCUSES.join(', ')}, or a word with a prompt in .orchestrator/prompts/ (example: focus: test_quality)`,
    );
    return;
  }
  if (PROPOSER_FOCUSES.includes(focus as never)) return;
  const prompts = ctx.options.promptNames;
  if (prompts?.has(focus) || (name !== undefined && prompts?.has(name))) return;
  const guess = nearest(focus, PROPOSER_FOCUSES);
  ctx.warn(
    path,
    `"${focus}" is not a built-in proposer focus (${PROPOSER_FOCUSES.join(', ')})${guess ? ` (did you mean \`${guess}\`?)` : ''}: ` +
      `add .orchestrator/prompts/${focus}.md${name ? ` or ${name}.md` : ''} to tell the proposer what to look for`,
  );
}
