import type { ClaudeSettings, PermissionMode } from '../config/agentsConfig.js';

/**
 * The client's command line. The prompt is never on it: it goes on stdin, so
 * it cannot be mistaken for an option, does not hit ARG_MAX, and does not show
 * in `ps`.
 */

export type ClaudeArgSettings = Pick<ClaudeSettings, 'max_turns' | 'extra_args'> &
  Partial<Pick<ClaudeSettings, 'model' | 'permission_mode' | 'allowed_tools'>>;

export interface ClaudeArgOptions {
  /** The role's defaults, used where the settings leave a value undefined. */
  defaults?: { permissionMode?: PermissionMode; allowedTools?: string[] };
  maxBudgetUsd?: number;
  /** A JSON Schema (object or its JSON text): the client adds a `StructuredOutput` tool. */
  jsonSchema?: object | string;
  appendSystemPrompt?: string;
  /** Must be a UUID; the client refuses anything else. */
  sessionId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildClaudeArgs(settings: ClaudeArgSettings, options: ClaudeArgOptions = {}): string[] {
  if (!Number.isInteger(settings.max_turns) || settings.max_turns < 1) {
    throw new Error(`max_turns must be a positive integer, got ${String(settings.max_turns)}`);
  }
  // stream-json refuses to run without --verbose.
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', String(settings.max_turns)];
  if (settings.model !== undefined) args.push('--model', settings.model);
  const mode = settings.permission_mode ?? options.defaults?.permissionMode;
  if (mode !== undefined) args.push('--permission-mode', mode);
  if (options.maxBudgetUsd !== undefined) {
    if (!Number.isFinite(options.maxBudgetUsd) || options.maxBudgetUsd <= 0) {
      throw new Error(`maxBudgetUsd must be a positive number, got ${String(options.maxBudgetUsd)}`);
    }
    args.push('--max-budget-usd', String(options.maxBudgetUsd));
  }
  if (options.jsonSchema !== undefined) {
    args.push(
      '--json-schema',
      typeof options.jsonSchema === 'string' ? options.jsonSchema : JSON.stringify(options.jsonSchema),
    );
  }
  if (options.appendSystemPrompt !== undefined) args.push('--append-system-prompt', options.appendSystemPrompt);
  if (options.sessionId !== undefined) {
    if (!UUID.test(options.sessionId)) throw new Error(`sessionId must be a UUID, got ${options.sessionId}`);
    args.push('--session-id', options.sessionId);
  }
  args.push(...settings.extra_args);
  const tools = settings.allowed_tools ?? options.defaults?.allowedTools ?? [];
  // One argv element per tool: a rule like "Bash(git add:*)" holds a space.
  // The option is variadic (it takes every following word that is not an
  // option), so it goes last, where nothing can follow it by mistake.
  if (tools.length > 0) args.push('--allowedTools', ...tools);
  return args;
}
