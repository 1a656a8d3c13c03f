import { REVIEW_BACKENDS, WORKFLOW_MODELS } from '../agentsConfig.js';
import { AGENT_NAME_EXPECT, AGENT_NAME_PATTERN } from '../vocabulary.js';
import { AGENT_SPEC } from './agentKeys.js';
import { CLAUDE_SPEC } from './claudeKeys.js';
import { COMMANDS_SPEC } from './commandKeys.js';
import { GATEKEEPER_SPEC } from './gatekeeperKeys.js';
import { MERGE_QUEUE_SPEC } from './mergeQueueKeys.js';
import type { IntegerSpec, ObjectSpec } from './spec.js';

/**
 * Every key of agents.yaml, with its type, default, allowed values, meaning and
 * an example. Validation, defaults, schema/agents.schema.json and the key
 * reference (docs/config-keys.md) are all derived from this table.
 */

const count = (description: string, def: number, example = def): IntegerSpec => ({
  kind: 'integer',
  min: 0,
  description,
  default: def,
  example,
});

function proposalLimit(
  description: string,
  defaults: { max_active: number; max_per_run: number } | undefined,
): ObjectSpec {
  const fallback = (key: string) =>
    defaults ? { default: defaults[key as keyof typeof defaults] } : { defaultText: `\`proposal_defaults.${key}\`` };
  return {
    kind: 'object',
    description,
    example: { max_active: 5, max_per_run: 2 },
    fields: {
      max_active: {
        kind: 'integer',
        min: 0,
        description: 'The proposer is not started while it has this many proposals waiting in active/.',
        example: 5,
        ...fallback('max_active'),
      },
      max_per_run: {
        kind: 'integer',
        min: 0,
        description: 'Most proposals one run may create; at most max_active.',
        example: 2,
        ...fallback('max_per_run'),
      },
    },
  };
}

const usd = (description: string, extra: { default?: number; example: number }) =>
  ({ kind: 'number', min: 0, exclusiveMin: true, expect: 'a positive amount in USD', description, ...extra }) as const;

export const CONFIG_SPEC: ObjectSpec = {
  kind: 'object',
  description: 'tickfleet fleet configuration (.orchestrator/agents.yaml).',
  fields: {
    model: {
      kind: 'enum',
      values: WORKFLOW_MODELS,
      description:
        '`task`: a product manager creates tasks; `proposal`: proposers suggest work and a curator promotes it.',
      default: 'task',
      example: 'task',
    },
    paused: {
      kind: 'boolean',
      description: 'true = no agent is started (runs in progress finish).',
      default: false,
      example: true,
    },
    queue_limits: {
      kind: 'object',
      description: 'Backpressure on the task queue.',
      example: { max_incoming: 20, max_claimed: 5, max_open_prs: 10 },
      fields: {
        max_incoming: count('Tasks are created only while incoming + claimed is below this.', 20),
        max_claimed: count('Tasks are claimed only while claimed is below this.', 5),
        max_open_prs: count(
          "Tasks are claimed only while tickfleet's open PRs (from its agent/TASK-… branches; other PRs are not counted), or pending local reviews, are below this.",
          10,
        ),
      },
    },
    proposal_limits: {
      kind: 'map',
      keyLabel: '<proposer>',
      keyPattern: AGENT_NAME_PATTERN,
      keyExpect: AGENT_NAME_EXPECT,
      values: proposalLimit('Backpressure for one proposer.', undefined),
      expect: 'a mapping of proposer names to {max_active, max_per_run}',
      description: 'Backpressure per proposer (by agent name); others get proposal_defaults.',
      default: {},
      example: { 'test-checker': { max_active: 5, max_per_run: 2 } },
    },
    proposal_defaults: proposalLimit('Backpressure for proposers not listed in proposal_limits.', {
      max_active: 5,
      max_per_run: 2,
    }),
    voice_weights: {
      kind: 'map',
      keyLabel: '<proposer>',
      keyPattern: AGENT_NAME_PATTERN,
      keyExpect: AGENT_NAME_EXPECT,
      values: { kind: 'number', min: 0, description: 'Weight', example: 1.2 },
      expect: 'a mapping of proposer names to weights',
      description: "How much the curator trusts each proposer's proposals (unlisted: 1).",
      default: {},
      example: { architect: 1.2 },
    },
    curator: {
      kind: 'object',
      description: 'How the curator scores proposals.',
      example: { promote_threshold: 0.6 },
      fields: {
        weights: {
          kind: 'map',
          keyLabel: '<criterion>',
          keyPattern: /^[a-z][a-z0-9_]*$/,
          keyExpect: 'a lowercase word (letters, digits, "_")',
          values: { kind: 'number', min: 0, max: 1, description: 'Weight', example: 0.4 },
          expect: 'a mapping of criteria to weights from 0 to 1',
          description: 'Weight of each scoring criterion; they should add up to 1.',
          default: { impact: 0.4, effort: 0.2, risk: 0.2, alignment: 0.2 },
          example: { impact: 0.4, effort: 0.2, risk: 0.2, alignment: 0.2 },
        },
        promote_threshold: {
          kind: 'number',
          min: 0,
          max: 1,
          description: 'Minimum weighted score (0 to 1) to promote a proposal.',
          default: 0.6,
          example: 0.6,
        },
      },
    },
    gatekeeper: GATEKEEPER_SPEC,
    commands: COMMANDS_SPEC,
    claude: CLAUDE_SPEC,
    budgets: {
      kind: 'object',
      description: 'Spending caps, checked before every start.',
      example: { per_run_usd: 2, fleet_daily_usd: 50 },
      fields: {
        per_run_usd: usd('One run stops past this (--max-budget-usd).', { default: 2, example: 2 }),
        per_agent_daily_usd: usd('Daily cap for every agent without its own daily_budget_usd; unset = none.', {
          example: 10,
        }),
        fleet_daily_usd: usd('No agent starts once the fleet has spent this much today; unset = none.', {
          example: 50,
        }),
      },
    },
    tasks: {
      kind: 'object',
      description: 'Claims, leases and retries.',
      example: { max_attempts: 3 },
      fields: {
        max_attempts: {
          kind: 'integer',
          min: 1,
          description: 'A task that failed this many times goes to failed/.',
          default: 3,
          example: 3,
        },
        lease_seconds: {
          kind: 'integer',
          min: 10,
          unit: 'seconds',
          description: 'A claim expires unless renewed within this (renewed every third of it).',
          default: 300,
          example: 300,
        },
        retry_backoff_seconds: {
          kind: 'integer',
          min: 0,
          unit: 'seconds',
          description: 'Wait before a requeued task may be claimed again; doubles per attempt.',
          default: 60,
          example: 60,
        },
        max_depth: {
          kind: 'integer',
          min: 0,
          description:
            'How deep `tickfleet split` may nest: a task of this depth (a first task is 0, its children 1) cannot be split; 0 = no splitting.',
          default: 2,
          example: 2,
        },
      },
    },
    scheduler: {
      kind: 'object',
      description: 'What one tick may start.',
      example: { max_spawns_per_tick: 2 },
      fields: {
        max_spawns_per_tick: {
          kind: 'integer',
          min: 1,
          description: 'Most agents started by one tick.',
          default: 2,
          example: 2,
        },
        spawn_stagger_seconds: {
          kind: 'number',
          min: 0,
          unit: 'seconds',
          description: 'Pause between two starts of one tick.',
          default: 2,
          example: 2,
        },
        spare_worktrees: {
          kind: 'boolean',
          description:
            "Keep one spare checkout per agent, made while it works, so its next run starts without waiting for git to write every file (costs one checkout's disk per agent).",
          default: true,
          example: true,
        },
      },
    },
    quota: {
      kind: 'object',
      description: 'Usage and rate limits.',
      example: { backoff_minutes: 30 },
      fields: {
        backoff_minutes: {
          kind: 'number',
          min: 0,
          exclusiveMin: true,
          unit: 'minutes',
          description: 'Fleet pause after a usage limit that names no reset time.',
          default: 30,
          example: 30,
        },
      },
    },
    review: {
      kind: 'object',
      description: 'Where finished work goes.',
      example: { backend: 'local' },
      fields: {
        backend: {
          kind: 'enum',
          values: REVIEW_BACKENDS,
          description:
            '`github` (PRs through gh), `local` (a review queue on disk) or `auto` (github when there is a remote and gh).',
          default: 'auto',
          example: 'local',
        },
        base_branch: {
          kind: 'string',
          pattern: /^[^\s~^:?*[\\]+$/,
          expect: 'a branch name',
          description: "Work is based on and merged into this branch; unset = the main work tree's branch.",
          example: 'main',
        },
        remote: {
          kind: 'string',
          pattern: /^\S+$/,
          expect: 'a remote name',
          description: 'The git remote to push to.',
          default: 'origin',
          example: 'origin',
        },
        test_command: {
          kind: 'string',
          pattern: /\S/,
          expect: 'a shell command',
          description: 'Run before every merge; the merge happens only if it succeeds. Unset = none.',
          example: 'npm test',
        },
      },
    },
    merge_queue: MERGE_QUEUE_SPEC,
    ports: {
      kind: 'object',
      description: 'Per-agent ports (dev, mcp, playwright), exported to each run.',
      example: { base: 41000, stride: 10 },
      fields: {
        base: {
          kind: 'integer',
          min: 1024,
          max: 65535,
          description: "The first agent slot's first port.",
          default: 41000,
          example: 41000,
        },
        stride: {
          kind: 'integer',
          min: 3,
          max: 1000,
          description: 'Ports per agent slot (at least 3: dev, mcp, playwright).',
          default: 10,
          example: 10,
        },
      },
    },
    metrics: {
      kind: 'object',
      description: 'Metrics export.',
      example: { textfile: '/var/lib/node_exporter/tickfleet.prom' },
      fields: {
        textfile: {
          kind: 'string',
          pattern: /\S/,
          expect: 'a file path',
          description: 'Prometheus textfile written after every tick; unset = off.',
          example: '/var/lib/node_exporter/tickfleet.prom',
        },
      },
    },
    agents: {
      kind: 'objectList',
      items: AGENT_SPEC,
      expect: 'a list of agents',
      description: 'The fleet.',
      default: [],
      example: [{ name: 'impl-agent-1', role: 'implementer', interval_seconds: 180 }],
    },
  },
};
