import { StringDecoder } from 'node:string_decoder';
import type { StreamItem } from './events.js';

/**
 * Reading stream-json incrementally: stdout arrives in chunks that split
 * lines (and multi-byte characters) anywhere; a line that is not a JSON
 * object is kept as a diagnostic rather than stopping the run.
 */

/** Splits a byte stream into lines; `end()` returns a last line without a newline. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map(stripCr);
  }

  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line to a typed item; undefined for a blank line. */
export function parseLine(line: string): StreamItem | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: 'diagnostic', text: line };
  }
  if (!isObject(value)) return { kind: 'diagnostic', text: line };
  const o = value as Json & { type?: unknown; subtype?: unknown };
  switch (o.type) {
    case 'system':
      if (o.subtype === 'init' && typeof o.session_id === 'string') return { kind: 'init', event: o as never };
      if (o.subtype === 'api_retry') return { kind: 'api_retry', event: o as never };
      if (typeof o.subtype === 'string') return { kind: 'system', event: o as never };
      break;
    case 'assistant':
      if (isObject(o.message) && Array.isArray(o.message.content)) return { kind: 'assistant', event: o as never };
      break;
    case 'user':
      if (isObject(o.message) && (Array.isArray(o.message.content) || typeof o.message.content === 'string')) {
        return { kind: 'user', event: o as never };
      }
      break;
    case 'result':
      if (typeof o.subtype === 'string')
        return { kind: 'result', event: { ...o, is_error: o.is_error === true } as never };
      break;
    case 'rate_limit_event':
      if (isObject(o.rate_limit_info)) return { kind: 'rate_limit', event: o as never };
      break;
  }
  return { kind: 'other', event: o };
}

/** Parse a whole transcript (for example a JSONL file written by `runClaude`). */
export function parseStreamJson(text: string): StreamItem[] {
  const splitter = new LineSplitter();
  return [...splitter.push(text), ...splitter.end()].map(parseLine).filter((i): i is StreamItem => i !== undefined);
}

/** Typed items from a byte stream as it arrives (a transcript being written, a pipe). */
export async function* readStreamJson(source: AsyncIterable<Buffer | string>): AsyncGenerator<StreamItem> {
  const splitter = new LineSplitter();
  for await (const chunk of source) {
    for (const line of splitter.push(chunk)) {
      const item = parseLine(line);
      if (item) yield item;
    }
  }
  for (const line of splitter.end()) {
    const item = parseLine(line);
    if (item) yield item;
  }
}
