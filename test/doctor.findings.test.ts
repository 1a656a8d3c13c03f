import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { hasErrors, runDoctor, runDoctorCommand } from '../src/doctor/doctor.js';
import type { Finding } from '../src/doctor/finding.js';
import { formatFindings } from '../src/doctor/format.js';
import type { CommandRunner } from '../src/process/command.js';
import { recordInstalled } from '../src/setup/record.js';
import { which as realWhich } from '../src/setup/searchPath.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { quarantineTask } from '../src/tasks/quarantine.js';
import { CLI } from './helpers/cli.js';
import { listeningUrl } from './helpers/endpoint.js';
import { fleetProject } from './helpers/fleet.js';
import { CLAUDE_BIN } from './helpers/scriptedApi.js';
import { git, tempDir } from './helpers/tmp.js';

const execFileP = promisify(execFile);

const BROKEN = `claude:
  command: ["no-such-claude", "--verbose"]
agents:
  - name: impl-1
    role: plumber
    interval_seconds: 5m
`;

const by = (findings: Finding[], check: string) => findings.filter((f) => f.check === check);
const one = (findings: Finding[], check: string) => {
  const hits = by(findings, check);
  expect(hits, `${check}: ${JSON.stringify(hits)}`).toHaveLength(1);
  return hits[0]!;
};

/** A command runner that answers for gh and passes the rest to the real one. */
function runnerWith(
  answers: Record<string, { exitCode: number; stdout?: string; stderr?: string }>,
  real: CommandRunner,
): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = async (command, args, options) => {
    calls.push([path.basename(command), ...args].join(' '));
    const answer = answers[[path.basename(command), ...args].join(' ')];
    if (answer) return { missing: false, stdout: '', stderr: '', ...answer };
    return real(command, args, options);
  };
  return Object.assign(run, { calls });
}

describe('doctor on a deliberately broken setup', () => {
  it('lists each problem with its fix', async () => {
    const layout = await fleetProject(BROKEN);
    // An orphan worktree holding uncommitted work, and the agent's spare checkout (kept on purpose).
    const orphan = path.join(layout.agents, 'impl-1', 'worktrees', 'TASK-dead0001');
    git(layout.root, 'worktree', 'add', '-q', '--detach', orphan, 'HEAD');
    writeFileSync(path.join(orphan, 'half-done.ts'), 'export const x = 1;\n');
    git(
      layout.root,
      'worktree',
      'add',
      '-q',
      '--detach',
      path.join(layout.agents, 'impl-1', 'worktrees', '.spare'),
      'HEAD',
    );
    // An unreadable run record and a quarantined task.
    mkdirSync(path.join(layout.runs, '2026-03-10'), { recursive: true });
    writeFileSync(path.join(layout.runs, '2026-03-10', 'run-x.json'), '{"run_id": "run-x", "cost_usd": 1.2');
    const task = await enqueueTask(layout, { title: 'Broken', role: 'implement', created_by: 'test' });
    await quarantineTask(layout, task.id, 'front matter does not parse');
    // A lock left by a killed process: not refreshed for a minute. (Made last: the queue moves above would take it over.)
    // The queue lock is a token lock (core/tokenLock.ts): its token renamed to a hold of a process long gone. The
    // rename sets the file's ctime, which counts as a refresh and cannot be set back: doctor looks a minute later.
    const lock = path.join(layout.locks, 'task-queue.lock');
    const hold = path.join(lock, 'held-999999.MQ.abcdefgh');
    renameSync(path.join(lock, 'token'), hold);
    const minuteAgo = new Date(Date.now() - 60_000);
    const minuteOn = new FakeClock(new Date(Date.now() + 60_000));
    // A free token lock is no finding, however old its folder.
    const free = path.join(layout.locks, 'proposal-queue.lock');
    mkdirSync(free, { recursive: true });
    writeFileSync(path.join(free, 'token'), '');
    utimesSync(free, minuteAgo, minuteAgo);

    const findings = await runDoctor(layout, {
      env: { PATH: process.env.PATH },
      home: tempDir('tickfleet-home-'),
      platform: 'linux',
      invocation: 'tickfleet',
      clock: minuteOn,
    });

    const config = by(findings, 'config');
    expect(config.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(config[0]!.found).toMatch(/^\.orchestrator\/agents\.yaml:5 agents\[0\]\.role: .*plumber/);
    expect(config[1]!.found).toMatch(/^\.orchestrator\/agents\.yaml:6 agents\[0\]\.interval_seconds: /);
    expect(config[0]!.fix).toContain('tickfleet config check');

    // Read leniently from the broken file: the client is still checked.
    expect(one(findings, 'claude')).toMatchObject({
      severity: 'error',
      found: 'claude.command ["no-such-claude","--verbose"]: no-such-claude not found on PATH',
      fix: expect.stringContaining('absolute path'),
    });
    expect(one(findings, 'credentials')).toMatchObject({
      severity: 'error',
      found: expect.stringMatching(
        /^no credentials: none of ANTHROPIC_API_KEY, .* is set and there is no .*\.claude\/\.credentials\.json$/,
      ),
      fix: expect.stringContaining('/login'),
    });
    expect(one(findings, 'tick')).toMatchObject({
      severity: 'warn',
      found: 'no tick installed, and no tick has run yet: no agent starts',
      fix: expect.stringContaining('tickfleet setup cron'),
    });
    expect(one(findings, 'lock')).toMatchObject({
      severity: 'warn',
      found: expect.stringMatching(
        /^stale lock \.orchestrator\/locks\/task-queue\.lock: not refreshed for 1m \(stale after 10s\)/,
      ),
      fix: expect.stringContaining(`rm -r "${lock}"`),
    });
    expect(one(findings, 'worktree')).toMatchObject({
      severity: 'warn',
      found: expect.stringMatching(
        /^orphan worktree \.orchestrator\/agents\/impl-1\/worktrees\/TASK-dead0001 \(\d+(\.\d)? [KM]B\), no run uses it, holds uncommitted work \(half-done\.ts\)$/,
      ),
      fix: expect.stringContaining('git worktree remove --force'),
    });
    expect(one(findings, 'ledger')).toMatchObject({
      severity: 'warn',
      found: expect.stringContaining('1 unreadable run record(s): .orchestrator/runs/2026-03-10/run-x.json'),
    });
    expect(one(findings, 'quarantine')).toMatchObject({
      severity: 'warn',
      found: expect.stringContaining(
        `1 task file(s) (first: .orchestrator/shared/queue/quarantine/${task.id}.md: front matter does not parse)`,
      ),
    });
    expect(one(findings, 'node').severity).toBe('ok');
    expect(one(findings, 'git').severity).toBe('ok');
    expect(hasErrors(findings)).toBe(true);
    // Every problem says what to do.
    for (const f of findings.filter((x) => x.severity !== 'ok')) expect(f.fix, f.found).toBeTruthy();

    const text = formatFindings(findings);
    const lockFinding = one(findings, 'lock');
    expect(text).toContain(
      `warn  ${'lock'.padEnd('credentials'.length)}  ${lockFinding.found} → fix: ${lockFinding.fix}`,
    );
    expect(text.at(-1)).toMatch(/^4 error\(s\), 5 warning\(s\), \d+ ok$/);
  });

  it('through the built CLI: one line per finding, exit 1 on an error, --json the same findings', async () => {
    const layout = await fleetProject(BROKEN);
    const env = { ...process.env, NO_COLOR: '1' };
    const failed = await execFileP(process.execPath, [CLI, '-C', layout.root, 'doctor'], { env }).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/^error config +\.orchestrator\/agents\.yaml:5 agents\[0\]\.role: .* → fix: /m);
    expect(failed?.stdout).toMatch(
      /^error claude +claude\.command \["no-such-claude","--verbose"\]: no-such-claude not found on PATH → fix: /m,
    );
    expect(failed?.stdout).toMatch(/^warn {2}tick +no tick installed/m);

    const json = await execFileP(process.execPath, [CLI, '-C', layout.root, 'doctor', '--json'], { env }).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    const parsed = JSON.parse(json!.stdout) as { ok: boolean; findings: Finding[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.findings.find((f) => f.check === 'claude')).toMatchObject({ severity: 'error' });
  });
});

describe('doctor on a healthy setup', () => {
  it('reports ok for every check, with the real client and ANTHROPIC_BASE_URL in claude.env', async () => {
    const port = new URL(await listeningUrl()).port;
    const layout = await fleetProject(
      `claude:\n  command: [${JSON.stringify(CLAUDE_BIN)}]\n  env:\n    ANTHROPIC_BASE_URL: "http://user:secret@127.0.0.1:${port}"\nreview:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n`,
    );
    await recordInstalled(layout, {
      kind: 'cron',
      installed_at: new Date().toISOString(),
      paths: ['crontab'],
      log: path.join(layout.logs, 'tick.log'),
      command: ['node', 'cli.js', 'scheduler'],
      id: 'tickfleet',
      activated: true,
    });
    writeFileSync(path.join(layout.logs, 'tick.log'), 'tick at ...: 0 started\n');

    const findings = await runDoctor(layout, {
      env: { PATH: process.env.PATH },
      home: tempDir('tickfleet-home-'),
      platform: 'linux',
      invocation: 'tickfleet',
    });
    expect(findings.filter((f) => f.severity !== 'ok')).toEqual([]);
    expect(one(findings, 'claude').found).toMatch(/ → .*claude(\.exe)?: 2\.\d+\.\d+ \(Claude Code\)$/);
    // The host only: a URL may carry a password.
    expect(one(findings, 'credentials').found).toBe(
      `ANTHROPIC_BASE_URL (claude.env) → 127.0.0.1:${port} (agents: impl-1)`,
    );
    expect(one(findings, 'endpoint').found).toBe(`http://127.0.0.1:${port} answers (agents: impl-1)`);
    expect(one(findings, 'tick').found).toMatch(
      /^tick installed with cron on .*; last ran \d+s ago \(\.orchestrator\/logs\/tick\.log\)$/,
    );
    expect(by(findings, 'config')[0]!.found).toBe('.orchestrator/agents.yaml is valid: 1 agent');
    expect(JSON.stringify(findings)).not.toContain('secret');
  });
});

describe('doctor: gh, and root with bypassPermissions', () => {
  const base = (review: string, extra = '') =>
    `review:\n${review}\nagents:\n  - name: impl-1\n    role: implementer\n${extra}`;
  const quiet = {
    env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-test' },
    home: tempDir('tickfleet-home-'),
    platform: 'linux' as const,
  };

  it('github back end: gh not logged in is an error naming `gh auth login`; auto with a remote and no gh is a warning', async () => {
    const layout = await fleetProject(base('  backend: github'));
    git(layout.root, 'remote', 'add', 'origin', tempDir('tickfleet-origin-'));
    const run = runnerWith(
      {
        'gh auth status': {
          exitCode: 1,
          stderr: 'You are not logged into any GitHub hosts. To log in, run: gh auth login',
        },
      },
      runDoctorCommand,
    );
    const which = (name: string, p: string | undefined) => (name === 'gh' ? '/opt/fake/gh' : realWhich(name, p));
    const github = await runDoctor(layout, { ...quiet, run, which });
    expect(one(github, 'gh')).toMatchObject({
      severity: 'error',
      found:
        'gh at /opt/fake/gh is not logged in: You are not logged into any GitHub hosts. To log in, run: gh auth login',
      fix: expect.stringContaining('gh auth login'),
    });
    expect(run.calls).toContain('gh auth status');

    const loggedIn = runnerWith(
      {
        'gh auth status': {
          exitCode: 0,
          stdout:
            'github.com\n  ✓ Logged in to github.com account octo (keyring)\n  - Token: gho_************************************\n',
        },
      },
      runDoctorCommand,
    );
    expect(one(await runDoctor(layout, { ...quiet, run: loggedIn, which }), 'gh')).toMatchObject({
      severity: 'ok',
      found: 'gh at /opt/fake/gh: Logged in to github.com account octo (keyring)',
    });

    writeFileSync(layout.agentsYaml, base('  backend: auto'));
    const noGh = (name: string, p: string | undefined) => (name === 'gh' ? undefined : realWhich(name, p));
    expect(one(await runDoctor(layout, { ...quiet, which: noGh }), 'gh')).toMatchObject({
      severity: 'warn',
      found: expect.stringContaining('gh is not on PATH: reviews wait in the local queue'),
    });
  });

  it('says that IS_SANDBOX is set when running as root with bypassPermissions', async () => {
    const layout = await fleetProject(
      base('  backend: local', '    claude:\n      permission_mode: bypassPermissions\n'),
    );
    expect(one(await runDoctor(layout, { ...quiet, isRoot: true }), 'root')).toMatchObject({
      severity: 'warn',
      found: expect.stringContaining('impl-1 uses bypassPermissions'),
      fix: expect.stringContaining('ordinary user'),
    });
    expect(one(await runDoctor(layout, { ...quiet, isRoot: true }), 'root').found).toContain('IS_SANDBOX=1');
    expect(by(await runDoctor(layout, { ...quiet, isRoot: false }), 'root')).toEqual([]);
  });
});
