import { describe, expect, it } from 'vitest';
import {
  byPrompt,
  hang,
  httpError,
  rateLimited,
  script,
  slowStream,
  structuredOutput,
  text,
  toolUse,
  turn,
} from '../src/scripted-api/dsl.js';
import type { ScriptedApi } from '../src/scripted-api/server.js';
import { scriptedApi } from './helpers/scriptedApi.js';

// The server as the client sees it: plain HTTP requests shaped like the
// client's, the replies read back from the SSE stream.

interface Convo {
  session?: string;
  prompt?: string;
  messages?: unknown[];
  tools?: string[];
  system?: string;
  stream?: boolean;
}

function post(api: ScriptedApi, c: Convo = {}): Promise<Response> {
  const messages = c.messages ?? [
    {
      role: 'user',
      content: [
        { type: 'text', text: '<system-reminder>\ncontext\n</system-reminder>' },
        { type: 'text', text: c.prompt ?? 'Do it.' },
      ],
    },
  ];
  return fetch(`${api.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(c.session ? { 'x-claude-code-session-id': c.session } : {}) },
    body: JSON.stringify({
      model: 'claude-test',
      stream: c.stream ?? true,
      system: [
        {
          type: 'text',
          text:
            c.system ?? 'You are an agent.\n - Primary working directory: /work/agent-1\n - Is a git repository: true',
        },
      ],
      messages,
      tools: (c.tools ?? ['Write', 'Bash']).map((name) => ({ name, input_schema: { type: 'object' } })),
    }),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: SSE events are read field by field, as loosely as the wire format is.
async function events(res: Response): Promise<Array<Record<string, any>>> {
  const body = await res.text();
  return body
    .split('\n\n')
    .filter((chunk) => chunk.includes('data: '))
    .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)));
}

/** The blocks of a streamed reply, reassembled from its deltas. */
async function reply(
  res: Response,
): Promise<{ blocks: Array<Record<string, unknown>>; stop: string; usage: Record<string, number> }> {
  const evs = await events(res);
  // biome-ignore lint/suspicious/noExplicitAny: reassembled blocks are compared field by field.
  const blocks: Array<Record<string, any>> = [];
  for (const e of evs) {
    if (e.type === 'content_block_start') blocks[e.index] = { ...e.content_block, json: '' };
    if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') blocks[e.index]!.text += e.delta.text;
    if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
      blocks[e.index]!.json += e.delta.partial_json;
  }
  const out = blocks.map(({ json, ...b }) => (b.type === 'tool_use' ? { ...b, input: JSON.parse(json) } : b));
  const start = evs.find((e) => e.type === 'message_start')!;
  const delta = evs.find((e) => e.type === 'message_delta')!;
  return {
    blocks: out,
    stop: delta.delta.stop_reason,
    usage: { ...start.message.usage, output_tokens: delta.usage.output_tokens },
  };
}

describe('startScriptedApi', () => {
  it('streams a message in the Messages API event order, with realistic usage', async () => {
    const api = await scriptedApi(script(text('Hello there, this is a scripted answer.')));
    const res = await post(api, { session: 'a' });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const evs = await events(await post(api, { session: 'b' }));
    expect(evs.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const r = await reply(res);
    expect(r.blocks).toEqual([{ type: 'text', text: 'Hello there, this is a scripted answer.' }]);
    expect(r.stop).toBe('end_turn');
    expect(r.usage).toEqual({
      input_tokens: 2000,
      output_tokens: 300,
      cache_read_input_tokens: 12000,
      cache_creation_input_tokens: 1000,
    });
  });

  it('gives each session its own place in the script, the last step repeating', async () => {
    const api = await scriptedApi(
      script(toolUse('Write', { file_path: 'a', content: 'a' }), text('second'), text('last')),
    );
    const first = await reply(await post(api, { session: 's1' }));
    expect(first.stop).toBe('tool_use');
    expect(first.blocks[0]).toMatchObject({
      type: 'tool_use',
      name: 'Write',
      input: { file_path: 'a', content: 'a' },
      id: expect.stringMatching(/^toolu_/),
    });
    expect((await reply(await post(api, { session: 's2' }))).stop).toBe('tool_use');
    expect((await reply(await post(api, { session: 's1' }))).blocks[0]).toMatchObject({ text: 'second' });
    expect((await reply(await post(api, { session: 's1' }))).blocks[0]).toMatchObject({ text: 'last' });
    expect((await reply(await post(api, { session: 's1' }))).blocks[0]).toMatchObject({ text: 'last' });
    expect(api.conversation('s1').map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('answers side requests (no tools) itself, and probes with 200', async () => {
    const api = await scriptedApi(() => {
      throw new Error('scenario must not see side requests');
    });
    const side = await reply(await post(api, { session: 's', tools: [] }));
    expect(JSON.parse(side.blocks[0]!.text as string)).toEqual({ title: 'Scripted session' });
    expect((await fetch(api.url, { method: 'HEAD' })).status).toBe(200);
    const count = await fetch(`${api.url}/v1/messages/count_tokens?beta=true`, { method: 'POST', body: '{}' });
    expect(await count.json()).toEqual({ input_tokens: 1000 });
    expect(api.requests.map((r) => r.reply)).toEqual(['side', 'other', 'other']);
    expect(api.conversation()).toEqual([]);
  });

  it('logs what a scenario needs to know about each request', async () => {
    const api = await scriptedApi(script(text('ok')));
    await (
      await post(api, {
        session: 'sess-1',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: '<system-reminder>x</system-reminder>' },
              { type: 'text', text: 'Implement TASK-1' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't1',
                content: [{ type: 'text', text: 'permission denied' }],
                is_error: true,
              },
            ],
          },
        ],
      })
    ).text();
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      sessionId: 'sess-1',
      model: 'claude-test',
      messageCount: 3,
      tools: ['Write', 'Bash'],
      side: false,
      firstUserText: 'Implement TASK-1',
      cwd: '/work/agent-1',
      assistantTurns: 1,
      lastToolResults: [{ toolUseId: 't1', content: 'permission denied', isError: true }],
      reply: 'message',
      status: 200,
      index: 0,
    });
  });

  it('computes inputs from the request, and merges blocks into one turn', async () => {
    const api = await scriptedApi(
      script(
        turn(
          text((req) => `in ${req.cwd}`),
          toolUse('Write', (req) => ({ file_path: `${req.cwd}/x.txt`, content: 'x' })),
        ),
      ),
    );
    const r = await reply(await post(api));
    expect(r.blocks.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(r.blocks[0]).toMatchObject({ text: 'in /work/agent-1' });
    expect(r.blocks[1]).toMatchObject({ input: { file_path: '/work/agent-1/x.txt', content: 'x' } });
  });

  it('picks the scenario by a marker in the prompt, for a whole fleet on one server', async () => {
    const api = await scriptedApi(
      byPrompt(
        { 'TASK-aaa': script(text('for a')), 'role: reviewer': script(structuredOutput({ verdict: 'ok' })) },
        script(text('fallback')),
      ),
    );
    expect((await reply(await post(api, { prompt: 'Work on TASK-aaa now' }))).blocks[0]).toMatchObject({
      text: 'for a',
    });
    expect((await reply(await post(api, { prompt: 'You are role: reviewer' }))).blocks[0]).toMatchObject({
      name: 'StructuredOutput',
      input: { verdict: 'ok' },
    });
    expect((await reply(await post(api, { prompt: 'something else' }))).blocks[0]).toMatchObject({ text: 'fallback' });
    const noFallback = await scriptedApi(byPrompt({ X: script(text('x')) }));
    expect((await reply(await post(noFallback, { prompt: 'nothing' }))).blocks[0]!.text).toContain(
      'No scripted scenario matches',
    );
  });

  it('sends HTTP errors in the API error shape, with their headers', async () => {
    const api = await scriptedApi(
      script(
        rateLimited({ retryAfterSeconds: 5 }),
        httpError(529),
        httpError(500, { custom: true }, { 'x-extra': '1' }),
      ),
    );
    const r429 = await post(api, { session: 'e' });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('5');
    expect(r429.headers.get('x-should-retry')).toBe('false');
    expect(r429.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(await r429.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' },
    });
    const r529 = await post(api, { session: 'e' });
    expect(r529.status).toBe(529);
    expect(await r529.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'scripted 529' } });
    const r500 = await post(api, { session: 'e' });
    expect(r500.headers.get('x-extra')).toBe('1');
    expect(await r500.json()).toEqual({ custom: true });
    expect(api.conversation('e').map((r) => r.status)).toEqual([429, 529, 500]);
  });

  it('answers a request that did not ask to stream with one JSON message', async () => {
    const api = await scriptedApi(script(text('plain')));
    const body = await (await post(api, { stream: false })).json();
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'plain' }],
      stop_reason: 'end_turn',
    });
  });

  it('hang() never answers, and close() still returns', async () => {
    const api = await scriptedApi(script(hang()));
    const pending = post(api).then(
      () => 'answered',
      () => 'dropped',
    );
    // The request is logged once the server has it; then close drops the socket.
    await expect.poll(() => api.conversation().length).toBe(1);
    expect(api.conversation()[0]!.reply).toBe('hang');
    await api.close();
    expect(await pending).toBe('dropped');
  });

  it('slowStream() spaces the events out', async () => {
    const api = await scriptedApi(script(slowStream(40, text('slow'))));
    const started = Date.now();
    const evs = await events(await post(api));
    // Six events of a one-piece text reply, 40 ms apart after each.
    expect(evs).toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6 * 40);
  });

  it('an input function that throws answers 500 too', async () => {
    const api = await scriptedApi(
      script(
        toolUse('Write', () => {
          throw new Error('no cwd');
        }),
      ),
    );
    const res = await post(api);
    expect(res.status).toBe(500);
    expect(api.conversation()[0]).toMatchObject({ reply: 'error', status: 500 });
  });

  it('a scenario that throws answers 500 with the reason', async () => {
    const api = await scriptedApi(() => {
      throw new Error('no step for this');
    });
    const res = await post(api);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'scenario failed: no step for this' },
    });
    expect(api.conversation()[0]).toMatchObject({ reply: 'error', status: 500 });
  });
});
