import type { ScriptedRequest, ToolResult } from './scenario.js';

/**
 * Reading a Messages API request body the way the Claude Code client sends
 * it: `system` and message `content` are either strings or arrays of blocks,
 * and the client prepends `<system-reminder>` blocks to the first user turn.
 */

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function textOf(content: unknown, skipReminders = false): string {
  return blocksOf(content)
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .filter((t) => !(skipReminders && t.trimStart().startsWith('<system-reminder>')))
    .join('\n');
}

// The client states its working directory in the environment section of the
// system prompt ("Primary working directory: /path"), or in the first user
// message when --exclude-dynamic-system-prompt-sections moves it there.
const CWD_PATTERNS = [
  /^\s*-?\s*Primary working directory:\s*(\S.*?)\s*$/m,
  /^\s*-?\s*Working directory:\s*(\S.*?)\s*$/m,
];

export function findCwd(...texts: string[]): string | undefined {
  for (const pattern of CWD_PATTERNS) {
    for (const text of texts) {
      const m = pattern.exec(text);
      if (m?.[1]) return m[1];
    }
  }
  return undefined;
}

/**
 * The tool results since the model's last turn. The client may follow a
 * tool result with more entries (a `system` reminder, another user message),
 * so everything after the last assistant message counts, not only the last.
 */
function lastToolResults(messages: Json[]): ToolResult[] {
  let i = messages.length;
  while (i > 0 && messages[i - 1]?.role !== 'assistant') i--;
  return messages
    .slice(i)
    .flatMap((m) => blocksOf(m.content))
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({
      toolUseId: String(b.tool_use_id ?? ''),
      content: typeof b.content === 'string' ? b.content : textOf(b.content),
      isError: b.is_error === true,
    }));
}

/** The session id: the client's header, else the one inside `metadata.user_id`. */
function sessionIdOf(headers: Record<string, string | string[] | undefined>, body: Json): string | undefined {
  const header = headers['x-claude-code-session-id'];
  if (typeof header === 'string' && header !== '') return header;
  const userId = isObject(body.metadata) ? body.metadata.user_id : undefined;
  if (typeof userId === 'string') {
    try {
      const parsed: unknown = JSON.parse(userId);
      if (isObject(parsed) && typeof parsed.session_id === 'string') return parsed.session_id;
    } catch {
      // Not JSON: no session id there.
    }
  }
  return undefined;
}

/** Everything but `index`, which the server fills from its per-session count. */
export function describeRequest(
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): Omit<ScriptedRequest, 'index'> {
  const b = isObject(body) ? body : {};
  const messages = Array.isArray(b.messages) ? b.messages.filter(isObject) : [];
  const tools = Array.isArray(b.tools) ? b.tools.filter(isObject).map((t) => String(t.name ?? '')) : [];
  const firstUser = messages.find((m) => m.role === 'user');
  const firstUserText = firstUser ? textOf(firstUser.content, true) : '';
  const systemText = typeof b.system === 'string' ? b.system : textOf(b.system);
  const cwd = findCwd(systemText, firstUser ? textOf(firstUser.content) : '');
  return {
    sessionId: sessionIdOf(headers, b),
    model: typeof b.model === 'string' ? b.model : undefined,
    messageCount: messages.length,
    tools,
    side: tools.length === 0,
    firstUserText,
    systemText,
    ...(cwd === undefined ? {} : { cwd }),
    lastToolResults: lastToolResults(messages),
    assistantTurns: messages.filter((m) => m.role === 'assistant').length,
  };
}
