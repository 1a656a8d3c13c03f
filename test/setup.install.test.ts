import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { ExitError } from '../src/core/errors.js';
import { layoutFor } from '../src/core/paths.js';
import type { ToolResult } from '../src/setup/context.js';
import { type SetupContext, setupContext } from '../src/setup/context.js';
import { installTick, uninstallTick } from '../src/setup/install.js';
import { readInstalledTick } from '../src/setup/record.js';
import { tempDir } from './helpers/tmp.js';

type Reply = Partial<ToolResult> | undefined;

/** A context whose control tools are a JS function: no process, no real home. */
function context(reply: (tool: string, args: readonly string[]) => Reply = () => undefined) {
  const root = tempDir();
  mkdirSync(path.join(root, '.orchestrator'));
  const calls: string[] = [];
  const ctx: SetupContext = setupContext(layoutFor(root), {
    env: { PATH: '' },
    home: tempDir('tickfleet-home-'),
    node: '/opt/node/bin/node',
    cli: '/opt/tickfleet/dist/cli.js',
    clock: new FakeClock('2026-03-01T12:00:00Z'),
    run: async (command, args) => {
      calls.push([command, ...args].join(' '));
      return { missing: false, exitCode: 0, stdout: '', stderr: '', ...reply(command, args) };
    },
  });
  return { ctx, calls };
}

describe('installTick / uninstallTick with an injected tool runner', () => {
  it('reloads a loaded launchd job whose plist changed', async () => {
    let loaded = false;
    const { ctx, calls } = context((_tool, args) => {
      if (args[0] === 'load') loaded = true;
      return args[0] === 'list' && !loaded ? { exitCode: 113 } : undefined;
    });
    await installTick('launchd', ctx);
    const plist = calls[1]!.split(' ').pop()!;
    expect(calls).toEqual([`launchctl list ${path.basename(plist, '.plist')}`, `launchctl load -w ${plist}`]);
    calls.length = 0;
    const moved = { ...ctx, node: '/usr/local/bin/node' };
    const result = await installTick('launchd', moved);
    expect(result.items).toEqual([{ path: plist, action: 'updated' }]);
    expect(result.ran).toEqual([`launchctl unload ${plist}`, `launchctl load -w ${plist}`]);
    expect(readFileSync(plist, 'utf8')).toContain('<string>/usr/local/bin/node</string>');
  });

  it('restarts a running systemd timer whose schedule file changed', async () => {
    const { ctx, calls } = context();
    const first = await installTick('systemd', ctx);
    const timerFile = first.plan.files[1]!.path;
    writeFileSync(timerFile, readFileSync(timerFile, 'utf8').replace('OnCalendar=minutely', 'OnCalendar=hourly'));
    calls.length = 0;
    const result = await installTick('systemd', ctx);
    const timer = path.basename(timerFile);
    expect(result.items.map((i) => i.action)).toEqual(['unchanged', 'updated']);
    expect(result.ran).toEqual(['systemctl --user daemon-reload', `systemctl --user restart ${timer}`]);
    expect(calls).toHaveLength(4);
  });

  it('says what failed, in the tool’s own words', async () => {
    const { ctx } = context((_tool, args) =>
      args[0] === '-l' ? { exitCode: 1, stderr: 'crontab: permission denied\n' } : undefined,
    );
    await expect(installTick('cron', ctx)).rejects.toThrow('crontab -l failed: crontab: permission denied');
    const bus = context((_tool, args) =>
      args[1] === 'daemon-reload'
        ? { exitCode: 1, stderr: 'Failed to connect to bus: No medium found\n' }
        : { exitCode: 1 },
    );
    await expect(installTick('systemd', bus.ctx)).rejects.toThrow(
      'systemctl --user daemon-reload failed: Failed to connect to bus: No medium found',
    );
  });

  it('without crontab, hands the user the line to add by hand', async () => {
    const { ctx } = context(() => ({ missing: true, exitCode: 127 }));
    const err = await installTick('cron', ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExitError);
    expect((err as ExitError).message).toMatch(/^crontab not found/);
    expect((err as ExitError).details[0]).toMatch(/^\* \* \* \* \* cd .* # tickfleet:/);
  });

  it('records the install once, with the clock’s time, and forgets it on uninstall', async () => {
    const { ctx } = context((_tool, args) =>
      args[0] === '-l' ? { exitCode: 1, stderr: 'no crontab for u' } : undefined,
    );
    await installTick('cron', ctx);
    const file = path.join(ctx.layout.dir, 'setup.json');
    const written = readFileSync(file, 'utf8');
    expect(await readInstalledTick(ctx.layout)).toMatchObject({
      kind: 'cron',
      installed_at: '2026-03-01T12:00:00Z',
      activated: true,
    });
    (ctx.clock as FakeClock).advance(60_000);
    await installTick('cron', ctx);
    expect(readFileSync(file, 'utf8')).toBe(written);
    const removed = await uninstallTick('cron', ctx);
    // The fake crontab never kept our line, so there was nothing to take out of it.
    expect(removed.outcome).toBe('absent');
    expect(await readInstalledTick(ctx.layout)).toBeUndefined();
  });
});
