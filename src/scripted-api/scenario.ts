/**
 * Types of the scripted Messages API: what the server learns from a request,
 * and the replies a scenario can choose.
 */

/** Token counts as the Messages API reports them; the client prices a run from these. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface ToolResult {
  toolUseId: string;
  /** The result's text (text blocks joined). */
  content: string;
  isError: boolean;
}

/** One request as the scenario (and the request log) sees it. */
export interface ScriptedRequest {
  /** `x-claude-code-session-id`: tells concurrent agents apart. */
  sessionId?: string;
  model?: string;
  /** Number of messages in the conversation sent. */
  messageCount: number;
  /** Names of the tools offered. */
  tools: string[];
  /**
   * A side request (no tools): the client's title/quota probe. The server
   * answers it itself; scenarios never see one.
   */
  side: boolean;
  /** The text of the first user message, without the client's `<system-reminder>` blocks. */
  firstUserText: string;
  /** The system prompt's text. */
  systemText: string;
  /** The agent's working directory as the client states it in its prompt, when found. */
  cwd?: string;
  /** Tool results carried by the last user message (empty on the first request). */
  lastToolResults: ToolResult[];
  /** Assistant messages so far in the conversation. */
  assistantTurns: number;
  /**
   * 0-based count of conversation requests this session made before this one.
   * Retries after an error count too, so `[httpError(429), text('ok')]` means
   * "reject once, then answer".
   */
  index: number;
}

/** A value fixed in the script, or computed from the request. */
export type Dyn<T> = T | ((req: ScriptedRequest) => T);

export type Block =
  | { type: 'text'; text: Dyn<string> }
  | { type: 'tool_use'; name: string; input: Dyn<Record<string, unknown>> };

export interface MessageStep {
  kind: 'message';
  blocks: Block[];
  /** Overrides of the default (realistic) usage of this reply. */
  usage?: Partial<Usage>;
  /** Pause between two SSE events (slowStream). */
  delayMs?: number;
}

export interface ErrorStep {
  kind: 'error';
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Accept the request and never answer (stall tests). */
export interface HangStep {
  kind: 'hang';
}

export type Step = MessageStep | ErrorStep | HangStep;

/** Decides the reply to one conversation request. */
export type Scenario = (req: ScriptedRequest) => Step | Promise<Step>;

/** One entry of the server's request log. */
export interface LoggedRequest extends ScriptedRequest {
  method: string;
  url: string;
  /** What the server answered: `message`, `error`, `hang`, `side`, or `other` (HEAD, count_tokens). */
  reply: Step['kind'] | 'side' | 'other';
  status: number;
}
