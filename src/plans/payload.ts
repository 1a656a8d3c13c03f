import { COMMAND_TASK_ROLE } from '../config/commandTasks.js';
import type { JobKind } from './plan.js';

/** What a payload makes of its job; `error` says what is wrong with it instead. */
export type PayloadMeaning =
  | { kind: JobKind; role?: string; title: string; command?: string; sha1?: string; error?: undefined }
  | { error: string };

export const PAYLOAD_PREFIXES = ['@cmd:', '@file:', '@doc:', '@url:', '@git:', '@gh:'] as const;

/** Longest task title taken from a payload. */
const TITLE_MAX = 100;

/**
 * The role mapping of a plan's payloads:
 *   `@cmd:<command>`          → a command task (role `command`), run by tickfleet itself;
 *   `@doc:LLM_TASK <text>`    → an `implement` task titled <text>;
 *   `@file:<path>[#suffix]`   → an `implement` task to do what the file describes (`#test`: a `test` task);
 *   `@doc:`, `@url:`, `@git:`, `@gh:` otherwise → metadata: nothing is queued and dependents do not wait.
 * A job's `role=` replaces the role of a task it makes.
 */
export function payloadMeaning(payload: string, jobId: string): PayloadMeaning {
  const prefix = PAYLOAD_PREFIXES.find((p) => payload.startsWith(p));
  if (!prefix)
    return {
      error: `payload must start with ${PAYLOAD_PREFIXES.join(', ')} (a pointer, not an essay), got ${JSON.stringify(payload.slice(0, 40))}`,
    };
  const rest = payload.slice(prefix.length).trim();
  if (rest === '') return { error: `payload ${prefix} is empty (example: payload=@cmd:npm test)` };
  switch (prefix) {
    case '@cmd:':
      return { kind: 'command', role: COMMAND_TASK_ROLE, title: short(`run \`${rest}\``), command: rest };
    case '@file:': {
      const [file, ...suffixes] = rest.split('#');
      if (!file) return { error: `payload @file: names no file (example: payload=@file:specs/feature.diff#apply)` };
      const sha1 = suffixes.find((s) => s.startsWith('sha1='))?.slice('sha1='.length);
      if (sha1 !== undefined && !/^[0-9a-f]{4,40}$/i.test(sha1))
        return { error: `payload #sha1= must be a hex digest, got ${JSON.stringify(sha1)}` };
      const testing = suffixes.includes('test');
      return {
        kind: 'task',
        role: testing ? 'test' : 'implement',
        title: short(`${jobId}: ${testing ? 'test' : 'do'} what ${file} describes`),
        ...(sha1 ? { sha1: sha1.toLowerCase() } : {}),
      };
    }
    case '@doc:':
      if (/^LLM_TASK\b/.test(rest)) {
        const text = rest.slice('LLM_TASK'.length).trim();
        if (text === '')
          return { error: 'payload @doc:LLM_TASK says no task (example: @doc:LLM_TASK add the read tools)' };
        return { kind: 'task', role: 'implement', title: short(text) };
      }
      return { kind: 'metadata', title: short(rest) };
    default:
      return { kind: 'metadata', title: short(rest) };
  }
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= TITLE_MAX ? one : `${one.slice(0, TITLE_MAX - 1)}…`;
}
