import type { ObjectSpec } from './spec.js';

/** The `commands:` section: what a command task may run (seed 000's `@cmd:` executor). */
export const COMMANDS_SPEC: ObjectSpec = {
  kind: 'object',
  description:
    'Command tasks: tickfleet runs an allow-listed command itself, in a worktree of the base, with no model.',
  example: { allow: ['npm test', 'npm run build'] },
  fields: {
    allow: {
      kind: 'list',
      items: {
        kind: 'string',
        pattern: /^\S(.*\S)?$/,
        expect: 'a command without leading or trailing spaces',
        description: 'A command',
        example: 'npm test',
      },
      unique: true,
      expect: 'a list of commands',
      description:
        'The commands a command task may run: an entry allows itself, and itself followed by arguments without shell operators (`;`, `&`, `|`, `<`, `>`, `` ` ``, `$`, `(`, `)`, `\\`, newline). Empty = no command task is accepted.',
      default: [],
      example: ['npm test', 'npm run build'],
    },
    timeout_minutes: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      unit: 'minutes',
      description: 'A command task running longer is stopped (its process group killed) and the attempt fails.',
      default: 20,
      example: 20,
    },
    max_running: {
      kind: 'integer',
      min: 1,
      description: 'Most command tasks running at once; a tick starts more only below this.',
      default: 2,
      example: 2,
    },
  },
};
