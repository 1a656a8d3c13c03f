import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientStartProblems } from '../src/claude/startable.js';
import { loadConfig } from '../src/config/load.js';
import { runDoctor } from '../src/doctor/doctor.js';
import { runTick } from '../src/scheduler/tick.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { cli } from './helpers/cli.js';
import { closedUrl, listeningUrl } from './helpers/endpoint.js';
import { fleetProject } from './helpers/fleet.js';
import { CLAUDE_BIN } from './helpers/scriptedApi.js';
import { tempDir } from './helpers/tmp.js';

const agents = `review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n`;
const realClient = (env: Record<string, string>) =>
  `claude:\n  command: [${JSON.stringify(CLAUDE_BIN)}]\n  env:\n${Object.entries(env)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n`;

describe('a client that cannot start is reported before any attempt is spent', () => {
  it('a missing client binary: the dry run says why, status lists it, config check warns, and the tick claims nothing', async () => {
    const layout = await fleetProject(`claude:\n  command: ["no-such-claude-client"]\n${agents}`);
    const task = await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });

    const dry = await cli(['-C', layout.root, 'scheduler', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/impl-1 +waits +a start would fail: client no-such-claude-client not found on PATH/);

    const status = await cli(['-C', layout.root, 'status']);
    expect(status.stdout).toMatch(/^ {2}impl-1 +implementer +blocked /m);
    expect(status.stdout).toContain('• impl-1 cannot start: client no-such-claude-client not found on PATH');
    expect(status.stdout).toContain('→ install the client');

    const check = await cli(['-C', layout.root, 'config', 'check']);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('agent impl-1: a start would fail: client no-such-claude-client not found on PATH');

    // The real tick checks the binary too (no network): it does not claim, so no attempt is spent.
    const report = await runTick(layout, { spawner: () => Promise.reject(new Error('must not start')) });
    expect(report.ran && report.plan.decisions[0]).toMatchObject({ action: 'skip', code: 'client_unavailable' });
    expect(await findTask(layout, task.id)).toMatchObject({ state: 'incoming', attempts: 0 });
  });

  it('nothing listening at ANTHROPIC_BASE_URL: the dry run says so, the plain tick does not probe', async () => {
    const dead = await closedUrl();
    const layout = await fleetProject(
      `${realClient({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: dead })}${agents}`,
    );
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    const dry = await runTick(layout, { dryRun: true });
    expect(dry.ran && dry.plan.decisions[0]).toMatchObject({
      action: 'skip',
      code: 'client_unavailable',
      reason: expect.stringContaining(`nothing answers at ANTHROPIC_BASE_URL ${dead}: connection refused`),
    });
    const status = await cli(['-C', layout.root, 'status', '--json']);
    const attention = (JSON.parse(status.stdout) as { attention: { kind: string; text: string }[] }).attention;
    expect(attention).toContainEqual(
      expect.objectContaining({
        kind: 'client_cannot_start',
        text: expect.stringContaining(`nothing answers at ANTHROPIC_BASE_URL ${dead}`),
      }),
    );
    // The tick of every minute pays for no network probe: it starts the agent (whose run then stops within seconds).
    const started: string[] = [];
    const tick = await runTick(layout, {
      spawner: async (_l, spec) => {
        started.push(spec.agent);
        return { pid: process.pid };
      },
    });
    expect(tick.ran && tick.plan.decisions[0]).toMatchObject({ action: 'start' });
    expect(started).toEqual(['impl-1']);
  });

  it('credentials: none is reported; a login file, an OAuth token or a Console key is not a false alarm', async () => {
    const layout = await fleetProject(`${realClient({ ANTHROPIC_BASE_URL: await listeningUrl() })}${agents}`);
    const { config } = await loadConfig(layout);
    // A base URL alone counts (a gateway may authenticate); without it, the client's own files decide.
    const noUrl = config.agents.map((a) => ({ ...a, claude: { ...a.claude, env: {} } }));
    const home = tempDir('tickfleet-home-');
    const check = (env: NodeJS.ProcessEnv) =>
      clientStartProblems(noUrl, {
        root: layout.root,
        depth: 'full',
        env: { PATH: process.env.PATH, ...env },
        home,
        platform: 'linux',
        probe: async (url) => ({ ok: true, url }),
      });
    expect((await check({}))['impl-1']).toMatchObject({
      kind: 'credentials',
      reason: expect.stringContaining('has no credentials'),
    });
    expect(await check({ CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-x' })).toEqual({});
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ primaryApiKey: 'sk-ant-x' }));
    expect(await check({})).toEqual({});
    const configDir = path.join(tempDir(), 'claude-config');
    mkdirSync(configDir);
    writeFileSync(path.join(configDir, '.credentials.json'), '{}');
    expect(await check({ CLAUDE_CONFIG_DIR: configDir })).toEqual({});
  });
});

describe('doctor: the API endpoint answers', () => {
  const doctorEndpoint = async (url: string) => {
    const layout = await fleetProject(
      `${realClient({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: url })}${agents}`,
    );
    const findings = await runDoctor(layout, {
      env: { PATH: process.env.PATH },
      home: tempDir('tickfleet-home-'),
      platform: 'linux',
    });
    return findings.find((f) => f.check === 'endpoint');
  };

  it('up: ok, naming the URL', async () => {
    const up = await listeningUrl();
    expect(await doctorEndpoint(up)).toEqual({
      check: 'endpoint',
      severity: 'ok',
      found: `${up} answers (agents: impl-1)`,
    });
  });

  it('down: an error with a fix', async () => {
    const down = await closedUrl();
    expect(await doctorEndpoint(down)).toMatchObject({
      check: 'endpoint',
      severity: 'error',
      found: expect.stringContaining(`nothing answers at ANTHROPIC_BASE_URL ${down}: connection refused`),
      fix: expect.stringContaining('ANTHROPIC_BASE_URL'),
    });
  });
});
