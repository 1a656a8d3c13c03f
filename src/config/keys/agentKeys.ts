import { ROLES } from '../agentsConfig.js';
import { AGENT_NAME_EXPECT, AGENT_NAME_PATTERN, CHECK_NAMES, PROPOSER_FOCUSES } from '../vocabulary.js';
import { CLAUDE_SPEC } from './claudeKeys.js';
import { type ObjectSpec, withoutDefaults } from './spec.js';

/** Interval when an agent names none: frequent enough to keep work moving, rare enough to be cheap. */
export const DEFAULT_INTERVAL_SECONDS = 300;

/** One entry of `agents:`. */
export const AGENT_SPEC: ObjectSpec = {
  kind: 'object',
  description: 'One agent of the fleet.',
  example: { name: 'impl-agent-1', role: 'implementer', interval_seconds: 180 },
  fields: {
    name: {
      kind: 'string',
      pattern: AGENT_NAME_PATTERN,
      required: true,
      expect: AGENT_NAME_EXPECT,
      description: 'Unique; names its worktree, state, logs and ports.',
      example: 'impl-agent-1',
    },
    role: {
      kind: 'enum',
      values: ROLES,
      required: true,
      description: 'What the agent does.',
      example: 'implementer',
    },
    interval_seconds: {
      kind: 'integer',
      min: 1,
      unit: 'seconds',
      description: 'Minimum time between two starts of this agent.',
      default: DEFAULT_INTERVAL_SECONDS,
      example: 300,
    },
    paused: {
      kind: 'boolean',
      description: 'true = this agent is not started (a run in progress finishes).',
      default: false,
      example: true,
    },
    focus: {
      kind: 'string',
      pattern: /^[a-z0-9][a-z0-9_-]*$/,
      expect: 'one word of lowercase letters, digits, "-" or "_"',
      description: `Required for proposers (${PROPOSER_FOCUSES.join(', ')}, or a word with a prompt in .orchestrator/prompts/) and gatekeepers (${CHECK_NAMES.join(', ')}).`,
      example: 'test_quality',
    },
    task_role: {
      kind: 'string',
      pattern: /^[a-z0-9][a-z0-9_-]*$/,
      expect: 'one word of lowercase letters, digits, "-" or "_"',
      description: 'The task ROLE this agent claims.',
      defaultText: 'by role: implementer `implement`, tester `test`, reviewer `review`',
      example: 'implement',
    },
    lanes: {
      kind: 'list',
      items: { kind: 'string', description: 'A lane', pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/ },
      unique: true,
      stringify: true,
      expect: 'a list of lane names (letters, digits, ".", "_" or "-"; a number is read as its digits)',
      description:
        'This agent claims only tasks whose `lane` is one of these; unset = any task of its task role. Only for agents that claim tasks.',
      example: ['backend', 2],
    },
    daily_budget_usd: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      expect: 'a positive amount in USD',
      description: 'This agent waits for the next day once it has spent this much today.',
      defaultText: '`budgets.per_agent_daily_usd`',
      example: 10,
    },
    claude: {
      ...withoutDefaults(
        CLAUDE_SPEC,
        'claude',
        'Any `claude.*` key, for this agent only; `env` is merged over the fleet-wide one.',
      ),
      example: { model: 'opus', max_turns: 80 },
    },
  },
};
