import type { ContentBlock } from '../../claude/events.js';
import { parseLine } from '../../claude/stream.js';

/** One readable line of a run's transcript, as `/runs/:id/stream` sends it. */
export interface TailLine {
  kind: 'session' | 'text' | 'tool' | 'result' | 'retry' | 'end' | 'other';
  text: string;
}

const MAX_TEXT = 400;
const MAX_DETAIL = 120;

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The argument of a tool call a person recognises: the command, the file, the pattern. */
function toolDetail(input: unknown): string {
  if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'description']) {
      if (typeof o[key] === 'string') return cut(o[key] as string, MAX_DETAIL);
    }
  }
  return cut(JSON.stringify(input) ?? '', MAX_DETAIL);
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((c) => (c && typeof c === 'object' && 'text' in c ? String(c.text) : '')).join(' ');
  }
  return '';
}

function blockLines(block: ContentBlock): TailLine[] {
  if (block.type === 'text' && typeof block.text === 'string' && block.text.trim() !== '') {
    return [{ kind: 'text', text: cut(block.text, MAX_TEXT) }];
  }
  if (block.type === 'tool_use') return [{ kind: 'tool', text: `→ ${String(block.name)} ${toolDetail(block.input)}` }];
  if (block.type === 'tool_result') {
    const mark = block.is_error ? '✗' : '←';
    return [{ kind: 'tool', text: `${mark} ${cut(resultText(block.content), MAX_DETAIL) || '(empty)'}` }];
  }
  return [];
}

/**
 * What a person reads of one stream-json line: the assistant's words, the
 * tools it calls and what they answer, retries and the result. Pure, over
 * the client's own line parser.
 */
export function renderTranscriptLine(line: string): TailLine[] {
  const item = parseLine(line);
  if (!item) return [];
  switch (item.kind) {
    case 'init':
      return [{ kind: 'session', text: `session started${item.event.model ? ` (${item.event.model})` : ''}` }];
    case 'api_retry':
      return [
        { kind: 'retry', text: `API retry ${item.event.attempt}/${item.event.max_retries}: ${item.event.error}` },
      ];
    case 'assistant':
      return item.event.message.content.flatMap(blockLines);
    case 'user':
      return typeof item.event.message.content === 'string' ? [] : item.event.message.content.flatMap(blockLines);
    case 'result': {
      const e = item.event;
      const cost = typeof e.total_cost_usd === 'number' ? `, $${e.total_cost_usd.toFixed(4)}` : '';
      const turns = typeof e.num_turns === 'number' ? `, ${e.num_turns} turns` : '';
      return [{ kind: 'result', text: `result: ${e.is_error ? 'error' : e.subtype}${turns}${cost}` }];
    }
    default:
      return [];
  }
}
