import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isProgress } from '../src/claude/events.js';
import { LineSplitter, parseLine, parseStreamJson, readStreamJson } from '../src/claude/stream.js';
import { StreamAccumulator } from '../src/claude/summary.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks, and multi-byte characters split across chunks', () => {
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n{"c":');
    const s = new LineSplitter();
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"a":"é"}', '{"b":2}']);
    expect(s.push('3}\r\n')).toEqual(['{"c":3}']);
    expect(s.end()).toEqual([]);
  });

  it('returns a last line without a newline at the end', () => {
    const s = new LineSplitter();
    s.push('{"x":1}');
    expect(s.end()).toEqual(['{"x":1}']);
  });
});

describe('readStreamJson', () => {
  it('yields items from chunks as they come, the last line without a newline included', async () => {
    const source = Readable.from([
      Buffer.from('{"type":"system","subtype":"init","session_id":"s"}\nnoi'),
      Buffer.from('se\n{"type":"result","subtype":"success","is_error":false}'),
    ]);
    const kinds: string[] = [];
    for await (const item of readStreamJson(source)) kinds.push(item.kind);
    expect(kinds).toEqual(['init', 'diagnostic', 'result']);
  });
});

describe('parseLine', () => {
  it('types the events tickfleet reads', () => {
    expect(parseLine('{"type":"system","subtype":"init","session_id":"s","cwd":"/w"}')?.kind).toBe('init');
    expect(
      parseLine(
        '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":500,"error_status":529,"error":"overloaded"}',
      )?.kind,
    ).toBe('api_retry');
    expect(parseLine('{"type":"system","subtype":"status","status":null}')?.kind).toBe('system');
    expect(parseLine('{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}]}}')?.kind).toBe(
      'assistant',
    );
    expect(parseLine('{"type":"user","message":{"role":"user","content":"hi"}}')?.kind).toBe('user');
    expect(parseLine('{"type":"result","subtype":"success","is_error":false}')?.kind).toBe('result');
    expect(
      parseLine('{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1795440897}}')?.kind,
    ).toBe('rate_limit');
    expect(parseLine('{"type":"stream_event","event":{}}')?.kind).toBe('other');
  });

  it('keeps what is not a JSON object as a diagnostic, and skips blank lines', () => {
    expect(parseLine('Segmentation fault')).toEqual({ kind: 'diagnostic', text: 'Segmentation fault' });
    expect(parseLine('[1,2]')).toEqual({ kind: 'diagnostic', text: '[1,2]' });
    expect(parseLine('{"type":"result"')).toEqual({ kind: 'diagnostic', text: '{"type":"result"' });
    expect(parseLine('   ')).toBeUndefined();
  });

  it('reads a malformed known type as "other" rather than trusting its shape', () => {
    expect(parseLine('{"type":"assistant","message":"oops"}')?.kind).toBe('other');
    expect(parseLine('{"type":"result"}')?.kind).toBe('other');
  });

  it('reads a missing is_error as false', () => {
    const item = parseLine('{"type":"result","subtype":"success"}');
    expect(item?.kind === 'result' && item.event.is_error).toBe(false);
  });

  it('counts retries, rate-limit notices and stray text as no progress', () => {
    const kinds = parseStreamJson(
      [
        '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":1,"error_status":429,"error":"rate_limit"}',
        '{"type":"rate_limit_event","rate_limit_info":{}}',
        'noise',
        '{"type":"system","subtype":"init","session_id":"s"}',
      ].join('\n'),
    ).map((i) => [i.kind, isProgress(i)]);
    expect(kinds).toEqual([
      ['api_retry', false],
      ['rate_limit', false],
      ['diagnostic', false],
      ['init', true],
    ]);
  });
});

describe('StreamAccumulator', () => {
  const transcript = [
    '{"type":"system","subtype":"init","session_id":"s1","cwd":"/w","model":"m"}',
    '{"type":"assistant","message":{"id":"msg_1","content":[{"type":"text","text":"Let me write it."}],"usage":{"input_tokens":100,"output_tokens":1,"cache_read_input_tokens":50}},"parent_tool_use_id":null,"session_id":"s1"}',
    '{"type":"assistant","message":{"id":"msg_1","content":[{"type":"tool_use","id":"t1","name":"Write","input":{"file_path":"a"}}],"usage":{"input_tokens":100,"output_tokens":1,"cache_read_input_tokens":50}},"parent_tool_use_id":null,"session_id":"s1"}',
    '{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"denied","is_error":true}]},"session_id":"s1"}',
    '{"type":"assistant","message":{"id":"msg_sub","content":[{"type":"text","text":"subagent talk"}]},"parent_tool_use_id":"t9","session_id":"s1"}',
    '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":3,"retry_delay_ms":500,"error_status":500,"error":"server_error","session_id":"s1"}',
    '{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1795440897}}',
    '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning","resetsAt":1}}',
    'not json',
  ];

  it('gathers session, texts, tool uses, errors and usage, counting a message once', () => {
    const acc = new StreamAccumulator();
    for (const item of parseStreamJson(transcript.join('\n'))) acc.add(item);
    const s = acc.summary;
    expect(s.sessionId).toBe('s1');
    expect(s.lastAssistantText).toBe('Let me write it.'); // a subagent's text is not the agent's answer
    expect(s.toolUses).toEqual([{ id: 't1', name: 'Write', input: { file_path: 'a' } }]);
    expect(s.streamUsage).toEqual({
      input_tokens: 100,
      output_tokens: 1,
      cache_read_input_tokens: 50,
      cache_creation_input_tokens: 0,
    });
    expect(s.counters).toEqual({
      events: 8,
      assistantMessages: 2,
      toolUses: 1,
      toolErrors: 1,
      apiRetries: 1,
      rateLimitEvents: 2,
      diagnostics: 1,
    });
    expect(s.lastApiRetry?.error_status).toBe(500);
    expect(s.rateLimit).toEqual({ status: 'rejected', resetsAt: 1795440897 });
    expect(s.retryingAtEnd).toBe(false);
    expect(s.diagnostics).toEqual(['not json']);
    expect(s.result).toBeUndefined();
  });

  it("keeps tool inputs, cutting long strings such as a written file's body", () => {
    const acc = new StreamAccumulator();
    const body = 'x'.repeat(2_000);
    acc.add(
      parseLine(
        JSON.stringify({
          type: 'assistant',
          message: {
            id: 'm',
            content: [{ type: 'tool_use', id: 't', name: 'Write', input: { file_path: 'big.txt', content: body } }],
          },
        }),
      )!,
    );
    expect(acc.summary.toolUses[0]!.input).toEqual({
      file_path: 'big.txt',
      content: `${'x'.repeat(500)}…(+1500 chars)`,
    });
  });

  it('knows when the stream ended in the middle of retries', () => {
    const acc = new StreamAccumulator();
    for (const item of parseStreamJson(transcript.slice(0, 6).join('\n'))) acc.add(item);
    expect(acc.summary.retryingAtEnd).toBe(true);
  });
});
