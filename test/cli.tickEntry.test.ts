import { describe, expect, it } from 'vitest';
import { queueStatusArgv, tickArgv } from '../src/cli/tickArgv.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { cli } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';
import { tempDir } from './helpers/tmp.js';

const YAML = 'review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 60\n';
const argv = (...args: string[]) => tickArgv(['node', 'cli.js', ...args]);

describe("the tick's own entry (cron's every-minute command without the CLI's parser)", () => {
  it('recognises exactly the usual spellings and leaves everything else to the full CLI', () => {
    expect(argv('scheduler')).toEqual({ json: false, dryRun: false, debug: false });
    expect(argv('-C', '/p', 'scheduler', '--json')).toEqual({ project: '/p', json: true, dryRun: false, debug: false });
    expect(argv('--project', '/p', 'tick', '--dry-run', '--debug')).toEqual({
      project: '/p',
      json: false,
      dryRun: true,
      debug: true,
    });
    expect(argv('--project=/p', 'scheduler')).toEqual({ project: '/p', json: false, dryRun: false, debug: false });
    for (const other of [
      [],
      ['status'],
      ['scheduler', '--help'],
      ['scheduler', '-h'],
      ['--help', 'scheduler'],
      ['scheduler', '--bogus'],
      ['scheduler', 'extra'],
      ['scheduler', '--'],
      ['-C', '/p', '-C', '/q', 'scheduler'],
      ['-C', '', 'scheduler'],
      ['-C', '--json', 'scheduler'],
      ['-C'],
      ['-C/p', 'scheduler'],
      ['--json', 'scheduler'],
      ['-V'],
      ['enqueue', 'scheduler'],
    ])
      expect(argv(...other), other.join(' ')).toBeUndefined();
  });

  it('the built CLI answers as before by either path: the same plan, the same errors and exit codes, --help from the parser', async () => {
    const layout = await fleetProject(YAML);
    // A second -C sends the same command through the full CLI.
    const fast = await cli(['-C', layout.root, 'scheduler', '--dry-run', '--json']);
    const full = await cli(['-C', layout.root, '-C', layout.root, 'scheduler', '--dry-run', '--json']);
    expect(fast.code).toBe(0);
    expect(full.code).toBe(0);
    const plan = (r: { stdout: string }) => JSON.parse(r.stdout).plan.decisions;
    expect(plan(fast)).toEqual(plan(full));
    expect(plan(fast).map((d: { agent: string }) => d.agent)).toEqual(['impl-1']);

    const text = await cli([`--project=${layout.root}`, 'tick', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^plan at .* \(dry run: nothing changed\)\n {2}impl-1 /);

    const bare = tempDir();
    const fastErr = await cli(['-C', bare, 'scheduler']);
    const fullErr = await cli(['-C', bare, '-C', bare, 'scheduler']);
    expect(fastErr).toEqual(fullErr);
    expect(fastErr.code).toBe(1);
    expect(fastErr.stderr).toContain(`${bare}/.orchestrator/agents.yaml not found`);

    const help = await cli(['scheduler', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tickfleet scheduler|tick [options]');
    expect(help.stdout).toContain('--dry-run');
    const bad = await cli(['-C', layout.root, 'scheduler', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--bogus'");
  });

  it('an invalid agents.yaml stops the tick with the same message by either path', async () => {
    const layout = await fleetProject('agents:\n  - name: a\n    role: tester\n    interval_seconds: 5m\n');
    const fast = await cli(['-C', layout.root, 'scheduler']);
    const full = await cli(['-C', layout.root, '-C', layout.root, 'scheduler']);
    expect(fast).toEqual(full);
    expect(fast.code).toBe(1);
    expect(fast.stderr).toContain('agents[0].interval_seconds: must be a positive integer number of seconds');
  });
});

describe("queue-status's own entry", () => {
  const qargv = (...args: string[]) => queueStatusArgv(['node', 'cli.js', ...args]);

  it('recognises `[-C dir] queue-status [--json]` and nothing else', () => {
    expect(qargv('queue-status')).toEqual({ json: false });
    expect(qargv('-C', '/p', 'queue-status', '--json')).toEqual({ project: '/p', json: true });
    for (const other of [
      ['queue-status', '--help'],
      ['queue-status', '--dry-run'],
      ['queue-status', 'extra'],
      ['-C', '/p', '-C', '/q', 'queue-status'],
      ['scheduler'],
      ['status'],
    ])
      expect(qargv(...other), other.join(' ')).toBeUndefined();
  });

  it('the built CLI answers the same by either path, as JSON, as a table, and with the same error', async () => {
    const layout = await fleetProject(YAML);
    const first = await enqueueTask(layout, { title: 'one', role: 'implement', created_by: 'test' });
    await enqueueTask(layout, { title: 'two', role: 'test', created_by: 'test', blocked_by: [first.id] });
    for (const json of [['--json'], []]) {
      const fast = await cli(['-C', layout.root, 'queue-status', ...json]);
      const full = await cli(['-C', layout.root, '-C', layout.root, 'queue-status', ...json]);
      expect(fast.code).toBe(0);
      expect(fast).toEqual(full);
    }
    const status = JSON.parse((await cli(['-C', layout.root, 'queue-status', '--json'])).stdout);
    expect(status.counts.incoming).toBe(2);
    expect(status.byRole).toEqual({ implement: 1, test: 1 });
    const bare = tempDir('tickfleet-bare-');
    const fast = await cli(['-C', bare, 'queue-status']);
    const full = await cli(['-C', bare, '-C', bare, 'queue-status']);
    expect(fast.code).not.toBe(0);
    expect(fast).toEqual(full);
  });
});
