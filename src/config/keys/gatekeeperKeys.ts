import { CHECK_NAMES } from '../vocabulary.js';
import type { ObjectSpec } from './spec.js';

/** The `gatekeeper:` section: which checks a delivered branch must pass, and how they run. */
export const GATEKEEPER_SPEC: ObjectSpec = {
  kind: 'object',
  description: 'Automatic PR checks before human review.',
  example: { enabled: true, required_checks: ['lint', 'tests'] },
  fields: {
    enabled: { kind: 'boolean', description: 'Run gatekeeper checks on PRs.', default: false, example: true },
    auto_approve: {
      kind: 'boolean',
      description: 'Approve a PR once every required check passes.',
      default: false,
      example: false,
    },
    required_checks: checkList('Checks that must pass.', ['lint', 'tests']),
    optional_checks: checkList('Checks that report but do not block.', ['style', 'architecture']),
    commands: {
      kind: 'map',
      keyLabel: '<check>',
      keyPattern: new RegExp(`^(${CHECK_NAMES.join('|')})$`),
      keyExpect: `a check name (${CHECK_NAMES.join(', ')})`,
      values: {
        kind: 'string',
        pattern: /\S/,
        expect: 'a shell command',
        description: 'Command',
        example: 'npm run lint',
      },
      expect: 'a mapping of check names to shell commands',
      description:
        "A check run as a command in a worktree of the branch's head, with no model: exit code 0 passes, the output's tail is the evidence. A check without a command runs the gatekeeper agent with that focus.",
      default: {},
      example: { lint: 'npm run lint', tests: 'npm test' },
    },
    max_fix_rounds: {
      kind: 'integer',
      min: 0,
      description: 'Fix tasks made for one branch whose required checks fail; past this it waits for a person.',
      default: 3,
      example: 3,
    },
    check_timeout_minutes: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      unit: 'minutes',
      description: 'A check command running longer is stopped (its process group killed) and its verdict is error.',
      default: 20,
      example: 20,
    },
  },
};

function checkList(description: string, example: string[]) {
  return {
    kind: 'list',
    items: { kind: 'enum', values: CHECK_NAMES, description: 'A check' },
    unique: true,
    expect: `a list of checks (${CHECK_NAMES.join(', ')})`,
    description,
    default: [],
    example,
  } as const;
}
