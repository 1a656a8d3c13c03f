import { PERMISSION_MODES } from '../agentsConfig.js';
import { ENV_NAME_PATTERN } from '../vocabulary.js';
import type { ObjectSpec } from './spec.js';

/** How agents run the Claude Code client: fleet-wide under `claude:`, overridable per agent. */
export const CLAUDE_SPEC: ObjectSpec = {
  kind: 'object',
  description: 'How agents run the Claude Code client.',
  fields: {
    command: {
      kind: 'command',
      description: 'The client command; a string is split on spaces. Tests and other CLIs can stand in here.',
      default: ['claude'],
      example: ['claude'],
    },
    model: {
      kind: 'string',
      description: "Passed as --model; unset = the client's default model.",
      example: 'sonnet',
    },
    max_turns: {
      kind: 'integer',
      min: 1,
      description: 'Passed as --max-turns: the most turns one run may take.',
      default: 40,
      example: 40,
    },
    permission_mode: {
      kind: 'enum',
      values: PERMISSION_MODES,
      description: "Passed as --permission-mode; unset = the role's own mode.",
      example: 'acceptEdits',
    },
    allowed_tools: {
      kind: 'list',
      items: { kind: 'string', description: 'A tool rule', pattern: /\S/ },
      expect: 'a list of tool rules',
      description: "Passed as --allowedTools; unset = the role's own tools.",
      example: ['Read', 'Edit', 'Bash(git commit:*)'],
    },
    extra_args: {
      kind: 'list',
      items: { kind: 'string', description: 'An argument' },
      expect: 'a list of arguments',
      description: "Arguments appended to the client's command line.",
      default: [],
      example: ['--verbose'],
    },
    timeout_minutes: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      unit: 'minutes',
      description: 'Wall-clock limit of one run; the run is killed past it.',
      default: 60,
      example: 60,
    },
    stall_minutes: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      unit: 'minutes',
      description: 'A run that emits no stream event for this long is killed (retries are not progress).',
      default: 10,
      example: 10,
    },
    env: {
      kind: 'map',
      keyLabel: '<VARIABLE>',
      keyPattern: ENV_NAME_PATTERN,
      keyExpect: 'an environment variable name (letters, digits, "_", not starting with a digit)',
      values: { kind: 'string', description: 'A value', expect: 'a string, number or boolean' },
      stringify: true,
      expect: 'a mapping of environment variable names to values',
      description: 'Extra environment for the client; per agent, merged over the fleet-wide one.',
      default: {},
      example: { DISABLE_TELEMETRY: '1' },
    },
  },
};
