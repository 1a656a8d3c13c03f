import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Usage } from './scenario.js';

/**
 * A reply as the Messages API streams it (server-sent events): message_start,
 * per block content_block_start / deltas / content_block_stop, message_delta
 * with the stop reason and output tokens, message_stop.
 */

export type ResolvedBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

// Roughly one agent turn on a real project: a large cached prefix, some fresh
// input, a few hundred output tokens. The client prices the run from these.
export const DEFAULT_USAGE: Usage = {
  input_tokens: 2_000,
  output_tokens: 300,
  cache_read_input_tokens: 12_000,
  cache_creation_input_tokens: 1_000,
};

export const SIDE_USAGE: Usage = {
  input_tokens: 300,
  output_tokens: 12,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

type SseEvent = [name: string, data: Record<string, unknown>];

/** Split a string into a few pieces, the way deltas arrive from the real API. */
function pieces(s: string, n = 3): string[] {
  if (s.length < n * 4) return [s];
  const size = Math.ceil(s.length / n);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

export function stopReasonOf(blocks: ResolvedBlock[]): 'tool_use' | 'end_turn' {
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

export function messageEvents(model: string, blocks: ResolvedBlock[], usage: Usage): SseEvent[] {
  const events: SseEvent[] = [];
  const { output_tokens, ...inputUsage } = usage;
  events.push([
    'message_start',
    {
      type: 'message_start',
      message: {
        id: newId('msg'),
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage, output_tokens: 1 },
      },
    },
  ]);
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ]);
      for (const t of pieces(block.text))
        events.push([
          'content_block_delta',
          { type: 'content_block_delta', index, delta: { type: 'text_delta', text: t } },
        ]);
    } else {
      events.push([
        'content_block_start',
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        },
      ]);
      for (const j of pieces(JSON.stringify(block.input))) {
        events.push([
          'content_block_delta',
          { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: j } },
        ]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(blocks), stop_sequence: null },
      usage: { output_tokens },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

/** Stream the events; stops early when the client goes away. */
export async function writeSse(res: ServerResponse, events: SseEvent[], delayMs = 0): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': newId('req') });
  for (const [name, data] of events) {
    if (res.destroyed) return;
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    if (delayMs > 0) await delay(delayMs);
  }
  res.end();
}

/** The same reply for a request that did not ask to stream. */
export function messageJson(model: string, blocks: ResolvedBlock[], usage: Usage): Record<string, unknown> {
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stopReasonOf(blocks),
    stop_sequence: null,
    usage,
  };
}
