import { describe, expect, it } from 'vitest';
import { tickArgv } from '../src/cli/tickArgv.js';
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
