import type { ApiRetryEvent, InitEvent, RateLimitInfo, ResultEvent, StreamItem, TokenUsage } from './events.js';

/**
 * What a run said, accumulated event by event: enough to classify its
 * outcome and record it, without keeping the whole transcript in memory.
 */

export interface ToolUseRecord {
  id: string;
  name: string;
  /** Strings over 500 characters are cut. */
  input: unknown;
}

export interface StreamCounters {
  /** Every JSON event, retries included. */
  events: number;
  assistantMessages: number;
  toolUses: number;
  /** Tool results the client marked as errors (denied, failed). */
  toolErrors: number;
  apiRetries: number;
  rateLimitEvents: number;
  /** Lines that were not JSON objects. */
  diagnostics: number;
}

export interface StreamSummary {
  sessionId?: string;
  init?: InitEvent;
  /** The last text the agent wrote (its final answer on success, the API error text on failure). */
  lastAssistantText?: string;
  toolUses: ToolUseRecord[];
  result?: ResultEvent;
  /** The error category of the client's synthetic "API Error" message, if any. */
  assistantError?: string;
  lastApiRetry?: ApiRetryEvent;
  /** True when the last event seen was the client retrying an API request. */
  retryingAtEnd: boolean;
  /** The most telling rate-limit notice: the last `rejected` one, else the last one. */
  rateLimit?: RateLimitInfo;
  /** Token usage of the assistant messages seen (for runs that end without a result). */
  streamUsage: Required<TokenUsage>;
  /** The first few non-JSON lines. */
  diagnostics: string[];
  counters: StreamCounters;
}

const MAX_DIAGNOSTICS = 20;
const MAX_INPUT_STRING = 500;

/**
 * A tool input as the record keeps it: a Bash command stays whole, the body
 * of a file being written does not (a long run would carry every file it
 * wrote in memory and in its record).
 */
function brief(input: unknown): unknown {
  if (typeof input === 'string') {
    return input.length > MAX_INPUT_STRING
      ? `${input.slice(0, MAX_INPUT_STRING)}…(+${input.length - MAX_INPUT_STRING} chars)`
      : input;
  }
  if (Array.isArray(input)) return input.map(brief);
  if (typeof input === 'object' && input !== null) {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, brief(v)]));
  }
  return input;
}

export class StreamAccumulator {
  private readonly seenMessages = new Set<string>();
  readonly summary: StreamSummary = {
    toolUses: [],
    retryingAtEnd: false,
    streamUsage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    diagnostics: [],
    counters: {
      events: 0,
      assistantMessages: 0,
      toolUses: 0,
      toolErrors: 0,
      apiRetries: 0,
      rateLimitEvents: 0,
      diagnostics: 0,
    },
  };

  add(item: StreamItem): void {
    const s = this.summary;
    if (item.kind === 'diagnostic') {
      s.counters.diagnostics++;
      if (s.diagnostics.length < MAX_DIAGNOSTICS) s.diagnostics.push(item.text);
      return;
    }
    s.counters.events++;
    s.retryingAtEnd = item.kind === 'api_retry';
    const sessionId = (item.event as { session_id?: unknown }).session_id;
    if (typeof sessionId === 'string' && s.sessionId === undefined) s.sessionId = sessionId;
    switch (item.kind) {
      case 'init':
        s.init = item.event;
        s.sessionId = item.event.session_id;
        break;
      case 'api_retry':
        s.counters.apiRetries++;
        s.lastApiRetry = item.event;
        break;
      case 'rate_limit': {
        s.counters.rateLimitEvents++;
        const info = item.event.rate_limit_info;
        if (info.status === 'rejected' || s.rateLimit?.status !== 'rejected') s.rateLimit = info;
        break;
      }
      case 'assistant':
        this.addAssistant(item.event);
        break;
      case 'user':
        for (const block of Array.isArray(item.event.message.content) ? item.event.message.content : []) {
          if (block.type === 'tool_result' && block.is_error === true) s.counters.toolErrors++;
        }
        break;
      case 'result':
        s.result = item.event;
        if (item.event.session_id) s.sessionId = item.event.session_id;
        break;
      default:
        break;
    }
  }

  private addAssistant(event: Extract<StreamItem, { kind: 'assistant' }>['event']): void {
    const s = this.summary;
    if (event.error !== undefined) s.assistantError = event.error;
    const id = event.message.id;
    // The client prints one event per content block, each carrying the
    // message's usage: count a message once.
    if (id === undefined || !this.seenMessages.has(id)) {
      if (id !== undefined) this.seenMessages.add(id);
      s.counters.assistantMessages++;
      const u = event.message.usage ?? {};
      s.streamUsage.input_tokens += u.input_tokens ?? 0;
      s.streamUsage.output_tokens += u.output_tokens ?? 0;
      s.streamUsage.cache_read_input_tokens += u.cache_read_input_tokens ?? 0;
      s.streamUsage.cache_creation_input_tokens += u.cache_creation_input_tokens ?? 0;
    }
    for (const block of event.message.content) {
      if (block.type === 'text' && typeof block.text === 'string' && event.parent_tool_use_id == null) {
        s.lastAssistantText = block.text;
      } else if (block.type === 'tool_use') {
        s.counters.toolUses++;
        s.toolUses.push({ id: String(block.id), name: String(block.name), input: brief(block.input) });
      }
    }
  }
}
