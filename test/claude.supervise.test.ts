import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamItem } from '../src/claude/events.js';
import { extractMetrics } from '../src/claude/metrics.js';
import { classifyOutcome } from '../src/claude/outcome.js';
import type { RunClaudeOptions } from '../src/claude/record.js';
import { parseStreamJson } from '../src/claude/stream.js';
import { runClaude } from '../src/claude/supervise.js';
import { processStartTime } from '../src/core/processInfo.js';
import { groupAlive } from '../src/process/group.js';
import { tempDir } from './helpers/tmp.js';

// Fake clients for what the real one cannot be made to do on demand.
// Limits are short, but not shorter than a loaded machine needs to start a
// node process (the stall clock runs from the spawn).
const FAKES = path.resolve(import.meta.dirname, 'fixtures/fake-claude');

function run(fake: string, overrides: Partial<RunClaudeOptions> = {}) {
  const dir = tempDir('tickfleet-supervise-');
  return runClaude({
    command: [path.join(FAKES, fake)],
    args: [],
    cwd: dir,
    env: { ...process.env } as Record<string, string>,
    prompt: 'Implement TASK-0001.',
    transcriptPath: path.join(dir, 'logs', 'run.jsonl'),
    timeoutMs: 20_000,
    stallMs: 10_000,
    killGraceMs: 300,
    resultGraceMs: 300,
    ...overrides,
  });
}

/** A number a fake client put on its first event (the pid of a process it started). */
function pidFrom(items: StreamItem[], field: string): number {
  const first = items[0];
  const value = first && first.kind !== 'diagnostic' ? (first.event as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'number') throw new Error(`no ${field} on the first event`);
  return value;
}

describe('runClaude with fake clients', () => {
  it('hang: killed by the stall limit, with its whole group', async () => {
    const record = await run('hang.mjs', { stallMs: 1_000 });
    expect(record).toMatchObject({
      stalled: true,
      timedOut: false,
      killedGroup: true,
      sigkilled: false,
      signal: 'SIGTERM',
    });
    expect(record.init?.session_id).toBe('fake-hang');
    expect(await groupAlive(record.pid!)).toBe(false);
    expect(classifyOutcome(record)).toEqual({ kind: 'stalled', reason: 'killed after 1 s without a stream event' });
  });

  it('retry-forever: api_retry events are not progress, so the stall limit ends it', async () => {
    const record = await run('retry-forever.mjs', { stallMs: 1_000, timeoutMs: 10_000 });
    expect(record).toMatchObject({ stalled: true, timedOut: false, retryingAtEnd: true });
    expect(record.counters.apiRetries).toBeGreaterThanOrEqual(3);
    expect(classifyOutcome(record)).toMatchObject({ kind: 'api_error', status: 529, retryable: true });
  });

  it('ignore-sigterm: SIGKILL after the grace, and the grandchild holding stdout dies too', async () => {
    const events: StreamItem[] = [];
    const record = await run('ignore-sigterm.mjs', { stallMs: 1_000, onEvent: (i) => events.push(i) });
    expect(record).toMatchObject({ stalled: true, killedGroup: true, sigkilled: true, signal: 'SIGKILL' });
    const grandchild = pidFrom(events, 'grandchild_pid');
    expect(grandchild).toBeGreaterThan(0);
    expect(await processStartTime(grandchild)).toBeUndefined();
    expect(await groupAlive(record.pid!)).toBe(false);
  });

  it('ignore-sigterm --chatty: events keep the stall timer quiet, the wall clock ends it', async () => {
    const record = await run('ignore-sigterm.mjs', { args: ['--chatty'], stallMs: 1_000, timeoutMs: 2_000 });
    expect(record).toMatchObject({ timedOut: true, stalled: false, sigkilled: true });
    expect(record.counters.assistantMessages).toBeGreaterThan(3);
    expect(record.lastAssistantText).toMatch(/^still working \d+$/);
    expect(classifyOutcome(record)).toEqual({
      kind: 'timeout',
      reason: 'killed after 2 s (wall-clock limit), before any result',
    });
  });

  it('exit0-no-work: prompt read from stdin, a line split mid-character reassembled, success', async () => {
    const record = await run('exit0-no-work.mjs');
    expect(record).toMatchObject({ exitCode: 0, signal: null, killedGroup: false, leftovers: false });
    expect(record.result?.result).toBe('Nothing to do — prompt was: Implement TASK-0001.');
    expect(record.counters).toMatchObject({ events: 2, diagnostics: 0, toolUses: 0 });
    // The outcome cannot know no work was done: that is the git state's job.
    expect(classifyOutcome(record).kind).toBe('success');
    expect(extractMetrics(record)).toMatchObject({ costUsd: 0.0123, turns: 1, toolUses: 0, sessionId: 'fake-exit0' });
    const transcript = readFileSync(record.transcriptPath, 'utf8');
    expect(transcript.split('\n').filter(Boolean)).toHaveLength(2);
    expect(parseStreamJson(transcript).map((i) => i.kind)).toEqual(['init', 'result']);
  });

  it('crash (SIGKILL on itself): crashed, with the stray line kept as a diagnostic and stderr captured', async () => {
    const record = await run('crash.mjs');
    expect(record).toMatchObject({
      signal: 'SIGKILL',
      exitCode: null,
      killedGroup: false,
      diagnostics: ['panic: out of memory'],
    });
    expect(record.toolUses.map((t) => t.name)).toEqual(['Write']);
    expect(readFileSync(record.stderrPath, 'utf8')).toBe('fatal: the fake client crashed\n');
    expect(record.stderrPath).toBe(path.join(path.dirname(record.transcriptPath), 'run.stderr.log'));
    expect(classifyOutcome(record)).toEqual({
      kind: 'crashed',
      reason: 'no result event; the client ended with signal SIGKILL: fatal: the fake client crashed',
    });
  });

  it('crash --exit 137: crashed with the exit code', async () => {
    const record = await run('crash.mjs', { args: ['--exit', '137'] });
    expect(record).toMatchObject({ exitCode: 137, signal: null });
    expect(classifyOutcome(record).reason).toContain('exit code 137');
  });

  it('stream-then-linger: killed shortly after its result, still a success', async () => {
    const record = await run('stream-then-linger.mjs', { stallMs: 1_000, timeoutMs: 1_500, resultGraceMs: 2_000 });
    // The result stopped the stall and wall-clock timers: only the linger rule fired, after both would have.
    expect(record).toMatchObject({
      lingered: true,
      stalled: false,
      timedOut: false,
      killedGroup: true,
      sigkilled: false,
      signal: 'SIGTERM',
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(2_000);
    expect(classifyOutcome(record)).toMatchObject({
      kind: 'success',
      reason: expect.stringContaining('did not exit by itself'),
    });
  });

  it('stream-then-linger --ignore-sigterm: SIGKILL', async () => {
    const record = await run('stream-then-linger.mjs', { args: ['--ignore-sigterm'] });
    expect(record).toMatchObject({ lingered: true, sigkilled: true, signal: 'SIGKILL' });
    expect(await groupAlive(record.pid!)).toBe(false);
  });

  it('an abort signal kills the group', async () => {
    const controller = new AbortController();
    const record = await run('hang.mjs', {
      onEvent: (i) => i.kind === 'init' && controller.abort(),
      signal: controller.signal,
    });
    expect(record).toMatchObject({ aborted: true, stalled: false, killedGroup: true });
    expect(classifyOutcome(record).kind).toBe('error');
  });

  it('a throwing onEvent does not stop supervision', async () => {
    const record = await run('exit0-no-work.mjs', {
      onEvent: () => {
        throw new Error('observer broke');
      },
    });
    expect(record.callbackError).toBe('observer broke');
    expect(classifyOutcome(record).kind).toBe('success');
  });

  it('a missing executable is reported, not thrown', async () => {
    const record = await run('no-such-client.mjs');
    expect(record.spawnError).toMatch(/ENOENT/);
    expect(record.pid).toBeUndefined();
    expect(classifyOutcome(record).kind).toBe('crashed');
  });

  it('leftovers after a clean exit are killed', async () => {
    // A client that starts a background sleeper and exits at once.
    const dir = tempDir('tickfleet-supervise-');
    const script =
      "const {spawn}=require('child_process'); const c=spawn('sleep',['60'],{stdio:'ignore'}); console.log(JSON.stringify({type:'system',subtype:'init',session_id:'s',sleeper:c.pid})); process.exit(0);";
    const events: StreamItem[] = [];
    const record = await runClaude({
      command: [process.execPath, '-e', script],
      args: [],
      cwd: dir,
      env: { ...process.env } as Record<string, string>,
      prompt: '',
      transcriptPath: path.join(dir, 'run.jsonl'),
      timeoutMs: 10_000,
      stallMs: 10_000,
      killGraceMs: 300,
      onEvent: (i) => events.push(i),
    });
    expect(record).toMatchObject({ exitCode: 0, leftovers: true, killedGroup: true });
    const sleeper = pidFrom(events, 'sleeper');
    expect(await processStartTime(sleeper)).toBeUndefined();
  });
});
