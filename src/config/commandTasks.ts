import path from 'node:path';
import type { Config } from './agentsConfig.js';

/**
 * The task role of a command task. No agent claims it (agents.yaml refuses a
 * `task_role: command`): the tick runs these tasks itself, with no model.
 */
export const COMMAND_TASK_ROLE = 'command';

/** The lease holder of a command task: tickfleet itself, not an agent. */
export const COMMAND_HOLDER = 'tickfleet';

/**
 * What may follow an allowed prefix: arguments, never a second command. Any
 * of these would let `npm test` in the list run `npm test; curl … | sh`.
 */
const SHELL_CONTROL = /[;&|<>`$()\\\n\r]/;

/** Spaces collapsed, ends trimmed: `npm  test ` is the `npm test` a person wrote. */
function normal(command: string): string {
  return command.trim().replace(/[ \t]+/g, ' ');
}

/**
 * The allow-list entry that permits `command`, or undefined. An entry permits
 * itself exactly (whatever it contains: a person wrote it), and itself
 * followed by a space and arguments free of shell operators.
 */
export function allowingEntry(allow: readonly string[], command: string): string | undefined {
  const wanted = normal(command);
  for (const entry of allow) {
    const e = normal(entry);
    if (wanted === e) return entry;
    if (wanted.startsWith(`${e} `) && !SHELL_CONTROL.test(wanted.slice(e.length))) return entry;
  }
  return undefined;
}

/** Why `command` may not run as a command task, or undefined when it may (one line, naming the key). */
export function commandRefusal(config: Pick<Config, 'commands' | 'file'>, command: string): string | undefined {
  if (command.trim() === '') return 'the command is empty';
  if (/[\r\n]/.test(command)) return `the command must be one line, got ${JSON.stringify(command.slice(0, 60))}`;
  if (allowingEntry(config.commands.allow, command) !== undefined) return undefined;
  const where = `commands.allow in ${path.basename(config.file)}`;
  const listed =
    config.commands.allow.length === 0
      ? `${where} is empty`
      : `${where} has ${config.commands.allow.map((c) => JSON.stringify(c)).join(', ')}`;
  return `\`${command.trim()}\` is not an allowed command: ${listed} (an entry allows itself, or itself followed by arguments without ; & | < > \` $ ( ) \\)`;
}
