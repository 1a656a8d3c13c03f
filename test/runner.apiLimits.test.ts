import { describe, expect, it } from 'vitest';
import { readAgentState } from '../src/agents/state.js';
import { localDay } from '../src/core/clock.js';
import { readFleetState } from '../src/fleet/pause.js';
import { readLedgerDay } from '../src/ledger/ledger.js';
import { listMessages } from '../src/messages/list.js';
import { runTick } from '../src/scheduler/tick.js';
import { httpError, rateLimited, script } from '../src/scripted-api/dsl.js';
import { fleetStatus } from '../src/status/collect.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { cli } from './helpers/cli.js';
import { closedUrl } from './helpers/endpoint.js';
import { allLogs, claudeBlock, fleetProject, runEnded } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';

// The client's own retries (10 by default, backing off to ~40 s) took about
// 3 minutes before a 429 or a refused connection reached its result. These
// runs leave the client its default retries and expect the run over in seconds.
const FAST_MS = 20_000;
const DEFAULT_RETRIES = { CLAUDE_CODE_MAX_RETRIES: '10' };
const agents = `agents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`;

async function runOnce(yaml: string) {
  const layout = await fleetProject(yaml);
  const task = await enqueueTask(layout, {
    title: 'Add a greeting',
    role: 'implement',
    created_by: 'test',
    context: 'Say hello.',
  });
  const started = Date.now();
  const report = await runTick(layout);
  expect(report.ran && report.started, report.ran ? JSON.stringify(report.plan.decisions) : '').toHaveLength(1);
  const state = await runEnded(layout, 'impl-1', 30_000);
  return { layout, task, state, elapsed: Date.now() - started };
}

describe('a rate limit, a usage limit or a dead endpoint ends the run within seconds', () => {
  it('a 429 the client would retry (API key, no reset time): stopped at the first retry, the fleet paused, the task not charged', async () => {
    const api = await scriptedApi(script(rateLimited({ retry: true })));
    const { layout, task, state, elapsed } = await runOnce(
      `${claudeBlock(api, DEFAULT_RETRIES)}\nquota:\n  backoff_minutes: 30\n${agents}`,
    );
    expect(state.last_outcome, allLogs(layout)).toMatchObject({
      kind: 'usage_limit',
      reason: expect.stringMatching(/^rate limit: HTTP 429, stopped at the client's retry 1 of 10/),
    });
    expect(elapsed).toBeLessThan(FAST_MS);
    // The client asked once, and was stopped before it could ask again.
    expect(api.conversation().length).toBeLessThanOrEqual(2);

    const pause = (await readFleetState(layout)).pause!;
    expect(new Date(pause.until).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 0, not_before: pause.until });
    // Not the agent's failure: no streak.
    expect(state.consecutive_failures).toBe(0);
    const [warning] = await listMessages(layout, { type: 'warning' });
    expect(warning!.title).toBe(`Fleet paused until ${pause.until}: rate limit`);
    expect(warning!.body).toContain('hit a rate limit');
    expect(warning!.body).toContain('named no reset time');
  });

  it("a subscription's rejected rate_limit_event: a usage limit, the fleet paused until the reset it names", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3 * 3600;
    const window = {
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': String(reset),
      'anthropic-ratelimit-unified-representative-claim': 'five_hour',
      'anthropic-ratelimit-unified-5h-status': 'rejected',
      'anthropic-ratelimit-unified-5h-reset': String(reset),
      'anthropic-ratelimit-unified-5h-utilization': '1.0',
    };
    const api = await scriptedApi(script(httpError(429, 'usage limit', window)));
    // A subscription login instead of an API key: the client then reports its window in a rate_limit_event.
    const block = claudeBlock(api, { ...DEFAULT_RETRIES, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-scripted' })
      .split('\n')
      .filter((line) => !line.includes('ANTHROPIC_API_KEY'))
      .join('\n');
    const { layout, task, state, elapsed } = await runOnce(`${block}\n${agents}`);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({
      kind: 'usage_limit',
      reason: expect.stringMatching(/^usage limit \(five_hour\): /),
    });
    expect(elapsed).toBeLessThan(FAST_MS);

    const until = new Date(reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await readFleetState(layout)).pause?.until).toBe(until);
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'incoming', attempts: 0, not_before: until });
    const [warning] = await listMessages(layout, { type: 'warning' });
    expect(warning!.title).toBe(`Fleet paused until ${until}: usage limit`);
    expect(warning!.body).toContain(`resets at ${new Date(reset * 1000).toISOString()}`);
  });

  it('an endpoint that refuses connections: ended at the first retry with that reason, the task not charged', async () => {
    const dead = await closedUrl();
    const api = await scriptedApi(script(rateLimited()));
    const { layout, task, state, elapsed } = await runOnce(
      `${claudeBlock(api, { ...DEFAULT_RETRIES, ANTHROPIC_BASE_URL: dead })}\n${agents}`,
    );
    expect(state.last_outcome, allLogs(layout)).toMatchObject({
      kind: 'endpoint_unreachable',
      reason: expect.stringContaining(`endpoint unreachable: ${dead} (connection refused`),
    });
    expect(elapsed).toBeLessThan(FAST_MS);
    expect(state.consecutive_failures).toBe(0);
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 0 });
    const [warning] = await listMessages(layout, { type: 'warning' });
    expect(warning!.title).toMatch(new RegExp(`: API endpoint unreachable \\(${dead.replace(/[.]/g, '\\.')}\\)$`));
    expect(warning!.body).toContain('released without charge');
    const [record] = await readLedgerDay(layout, localDay(new Date()));
    expect(record).toMatchObject({ outcome: 'endpoint_unreachable' });
  });

  it('resume-fleet frees the tasks the pause held, and status no longer warns', async () => {
    const api = await scriptedApi(script(rateLimited()));
    const { layout, task } = await runOnce(`${claudeBlock(api)}\n${agents}`);
    const other = await enqueueTask(layout, {
      title: 'Unrelated, waits on its own',
      role: 'implement',
      created_by: 'test',
    });
    expect((await fleetStatus(layout)).fleet.quota_pause).toBeDefined();
    expect((await findTask(layout, task.id)).not_before).toBeDefined();

    const resumed = await cli(['-C', layout.root, 'resume-fleet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`1 task it held freed (${task.id})`);
    expect((await findTask(layout, task.id)).not_before).toBeUndefined();
    expect((await findTask(layout, other.id)).state).toBe('incoming');
    const status = await fleetStatus(layout);
    expect(status.fleet.quota_pause).toBeUndefined();
    expect(status.messages.newest.map((m) => m.title)).not.toContainEqual(expect.stringContaining('Fleet paused'));
    expect((await readAgentState(layout, 'impl-1')).consecutive_failures).toBe(0);
    // The next tick claims the freed task at once.
    const next = await runTick(layout, { dryRun: true });
    expect(next.ran && next.plan.decisions[0]).toMatchObject({ action: 'start', claimRole: 'implement' });
  });
});
