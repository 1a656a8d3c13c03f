import { chmodSync, existsSync, promises as fs, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { readInstalledTick, readInstalledTicks } from '../src/setup/record.js';
import { SYSTEM_DIRS } from '../src/setup/searchPath.js';
import { projectSlug } from '../src/setup/tickSpec.js';
import { CLI, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/**
 * One recording fake for crontab, launchctl and systemctl (told apart by the
 * name it is called by). It keeps its state in $FAKE_STATE and appends every
 * call to $FAKE_STATE/calls.log, so tests see exactly what setup ran. Plain
 * sh with absolute paths: it works under the bare PATH the tests give setup.
 */
const FAKE_TOOL = `#!/bin/sh
tool=\${0##*/}
echo "$tool $*" >> "$FAKE_STATE/calls.log"
eval "last=\\\${$#}"
case "$tool" in
crontab)
  case "$1" in
  -l) if [ -f "$FAKE_STATE/crontab" ]; then /bin/cat "$FAKE_STATE/crontab"; else echo "no crontab for tester" >&2; exit 1; fi ;;
  -) /bin/cat > "$FAKE_STATE/crontab" ;;
  esac ;;
launchctl)
  label=\${last##*/}; label=\${label%.plist}
  case "$1" in
  list) [ -e "$FAKE_STATE/loaded.$2" ] || exit 113 ;;
  load) : > "$FAKE_STATE/loaded.$label" ;;
  unload) /bin/rm -f "$FAKE_STATE/loaded.$label" ;;
  remove) /bin/rm -f "$FAKE_STATE/loaded.$2" ;;
  esac ;;
systemctl)
  case "$2" in
  is-enabled) [ -e "$FAKE_STATE/enabled.$last" ] || exit 1 ;;
  is-active) [ -e "$FAKE_STATE/enabled.$last" ] || exit 3 ;;
  enable) : > "$FAKE_STATE/enabled.$last" ;;
  disable) /bin/rm -f "$FAKE_STATE/enabled.$last" ;;
  esac ;;
esac
exit 0
`;

interface Sandbox {
  root: string;
  home: string;
  bin: string;
  state: string;
  env: NodeJS.ProcessEnv;
}

/** A project, a home and a PATH of fakes; the real crontab, launchd and home are out of reach. */
function sandbox(): Sandbox {
  const root = tempDir();
  mkdirSync(path.join(root, '.orchestrator'));
  writeFileSync(path.join(root, '.orchestrator', 'agents.yaml'), 'agents: []\n');
  const home = tempDir('tickfleet-home-');
  const bin = tempDir('tickfleet-bin-');
  const state = tempDir('tickfleet-state-');
  for (const name of ['crontab', 'launchctl', 'systemctl', 'claude', 'gh', 'git']) {
    writeFileSync(path.join(bin, name), FAKE_TOOL);
    chmodSync(path.join(bin, name), 0o755);
  }
  const { TICKFLEET_PROJECT: _p, TICKFLEET_AGENT: _a, XDG_CONFIG_HOME: _x, ...base } = process.env;
  const env = {
    ...base,
    NO_COLOR: '1',
    HOME: home,
    PATH: bin,
    FAKE_STATE: state,
    TICKFLEET_CRONTAB: path.join(bin, 'crontab'),
    TICKFLEET_LAUNCHCTL: path.join(bin, 'launchctl'),
    TICKFLEET_SYSTEMCTL: path.join(bin, 'systemctl'),
  };
  return { root, home, bin, state, env };
}

/** The CLI in the sandbox: its HOME, PATH and fake schedulers only, nothing of the caller's environment. */
const cli = (box: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['-C', box.root, ...args], { ...box.env, ...env });

function calls(box: Sandbox): string[] {
  const file = path.join(box.state, 'calls.log');
  // `git remote` is a read (does the tick need gh?); the scheduler calls are what matter here.
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('git '))
    : [];
}

/** Replace machine-specific paths so the expected text can be written out in full. */
function normalise(box: Sandbox, text: string): string {
  const tickPath = [...new Set([path.dirname(process.execPath), box.bin, ...SYSTEM_DIRS])].join(path.delimiter);
  return text
    .replaceAll(tickPath, '<path>')
    .replaceAll(CLI, '<cli>')
    .replaceAll(process.execPath, '<node>')
    .replaceAll(box.root, '<root>')
    .replaceAll(box.home, '<home>')
    .replaceAll(projectSlug(box.root), '<slug>')
    .replaceAll(box.state, '<state>');
}

describe('tickfleet setup --print (built CLI)', () => {
  it('cron: prints the one crontab line and installs nothing', async () => {
    const box = sandbox();
    const out = await cli(box, ['setup', 'cron', '--print']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(normalise(box, out.stdout)).toBe(
      [
        '# tickfleet setup cron for <root> would install (--print installs nothing):',
        '# crontab line (added with crontab -l / crontab -):',
        '* * * * * cd <root> && PATH=<path> <node> <cli> -C <root> scheduler >> <root>/.orchestrator/logs/tick.log 2>&1 # tickfleet:<root>',
        '# then: crontab -',
        '# log: <root>/.orchestrator/logs/tick.log',
        '',
      ].join('\n'),
    );
    expect(calls(box)).toEqual([]);
    expect(existsSync(path.join(box.root, '.orchestrator', 'setup.json'))).toBe(false);
  });

  it('launchd: prints the plist path and contents', async () => {
    const box = sandbox();
    const out = await cli(box, ['setup', 'launchd', '--print']);
    expect(out.code).toBe(0);
    expect(
      normalise(box, out.stdout),
    ).toBe(`# tickfleet setup launchd for <root> would install (--print installs nothing):
# file <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist:
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by \`tickfleet setup launchd\`; \`tickfleet setup launchd --uninstall\` removes it. -->
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>com.tickfleet.<slug></string>
    <key>ProgramArguments</key>
    <array>
        <string><node></string>
        <string><cli></string>
        <string>-C</string>
        <string><root></string>
        <string>scheduler</string>
    </array>
    <key>WorkingDirectory</key>
    <string><root></string>
    <key>StartInterval</key>
    <integer>60</integer>
    <key>StandardOutPath</key>
    <string><root>/.orchestrator/logs/tick.log</string>
    <key>StandardErrorPath</key>
    <string><root>/.orchestrator/logs/tick.log</string>
    <key>EnvironmentVariables</key>
    <dict>
        <key>PATH</key>
        <string><path></string>
    </dict>
    <!-- The tick starts detached agent runners and exits: launchd must not kill them with it. -->
    <key>AbandonProcessGroup</key>
    <true/>
</dict>
</plist>
# then: launchctl load -w <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist
# log: <root>/.orchestrator/logs/tick.log
`);
    expect(calls(box)).toEqual([]);
    expect(existsSync(path.join(box.home, 'Library'))).toBe(false);
  });

  it('systemd: prints the service and the timer', async () => {
    const box = sandbox();
    const out = await cli(box, ['setup', 'systemd', '--print']);
    expect(out.code).toBe(0);
    expect(
      normalise(box, out.stdout),
    ).toBe(`# tickfleet setup systemd for <root> would install (--print installs nothing):
# file <home>/.config/systemd/user/tickfleet-<slug>.service:
# Written by \`tickfleet setup systemd\`; \`tickfleet setup systemd --uninstall\` removes it.
[Unit]
Description=tickfleet tick for <root>

[Service]
Type=oneshot
WorkingDirectory=<root>
Environment=PATH=<path>
ExecStart=<node> <cli> -C <root> scheduler
StandardOutput=append:<root>/.orchestrator/logs/tick.log
StandardError=append:<root>/.orchestrator/logs/tick.log
# The tick starts detached agent runners and exits; the default
# (control-group) would kill every one of them when the tick ends.
KillMode=process
# file <home>/.config/systemd/user/tickfleet-<slug>.timer:
# Written by \`tickfleet setup systemd\`; \`tickfleet setup systemd --uninstall\` removes it.
[Unit]
Description=Run the tickfleet tick every minute for <root>

[Timer]
OnCalendar=minutely
# Without this, systemd may delay each run by up to a minute to batch wake-ups.
AccuracySec=1s
Persistent=true
Unit=tickfleet-<slug>.service

[Install]
WantedBy=timers.target
# then: systemctl --user daemon-reload
# then: systemctl --user enable --now tickfleet-<slug>.timer
# log: <root>/.orchestrator/logs/tick.log
# note: a user timer runs only while you are logged in; to keep the fleet ticking after you log out, run once: loginctl enable-linger $USER
`);
    expect(existsSync(path.join(box.home, '.config'))).toBe(false);
  });

  it('warns on stderr about tools it cannot find, and --json carries the plan', async () => {
    const box = sandbox();
    await fs.rm(path.join(box.bin, 'claude'));
    const out = await cli(box, ['setup', 'cron', '--print', '--json']);
    expect(out.code).toBe(0);
    const plan = JSON.parse(out.stdout) as {
      kind: string;
      crontabLine: string;
      spec: { warnings: string[]; node: string };
    };
    expect(plan.kind).toBe('cron');
    expect(plan.spec.node).toBe(process.execPath);
    expect(plan.spec.warnings).toEqual([
      'claude not found on PATH: the tick could not start any agent; install it (or add its folder to PATH) and run setup again',
    ]);
    const human = await cli(box, ['setup', 'cron', '--print']);
    expect(human.stderr).toBe(
      'warning: claude not found on PATH: the tick could not start any agent; install it (or add its folder to PATH) and run setup again\n',
    );
  });

  it('rejects an unknown scheduler and --print with --uninstall as usage errors', async () => {
    const box = sandbox();
    const unknown = await cli(box, ['setup', 'anacron']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('✗ setup: unknown scheduler "anacron"; use one of cron, launchd, systemd\n');
    const both = await cli(box, ['setup', 'cron', '--print', '--uninstall']);
    expect(both.code).toBe(2);
    expect(calls(box)).toEqual([]);
  });

  it('needs an initialised project to install', async () => {
    const box = sandbox();
    await fs.rm(path.join(box.root, '.orchestrator'), { recursive: true });
    const out = await cli(box, ['setup', 'cron']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`agents.yaml not found: run \`node ${CLI} init\``);
    expect(calls(box)).toEqual([]);
  });
});

describe('tickfleet setup cron (built CLI, fake crontab)', () => {
  it('adds one line beside the others, says unchanged the second time, and removes exactly it', async () => {
    const box = sandbox();
    const others = '# backups\n0 3 * * * /usr/bin/backup\n* * * * * other # tickfleet:/elsewhere\n';
    writeFileSync(path.join(box.state, 'crontab'), others);

    const first = await cli(box, ['setup', 'cron']);
    expect(first.code).toBe(0);
    expect(normalise(box, first.stdout)).toBe(
      [
        'tickfleet setup cron for <root>',
        '  created    crontab entry',
        '  ran        crontab -',
        '  log        .orchestrator/logs/tick.log',
        'Installed: `tickfleet scheduler` runs every minute (cron).',
        '',
      ].join('\n'),
    );
    const table = readFileSync(path.join(box.state, 'crontab'), 'utf8');
    expect(normalise(box, table)).toBe(
      `${others}* * * * * cd <root> && PATH=<path> <node> <cli> -C <root> scheduler >> <root>/.orchestrator/logs/tick.log 2>&1 # tickfleet:<root>\n`,
    );
    expect(existsSync(path.join(box.root, '.orchestrator', 'logs'))).toBe(true);
    expect(calls(box)).toEqual(['crontab -l', 'crontab -']);

    const second = await cli(box, ['setup', 'cron']);
    expect(second.stdout).toContain('  unchanged  crontab entry\n');
    expect(second.stdout.trimEnd().split('\n').pop()).toBe('Already installed: nothing changed.');
    expect(calls(box)).toEqual(['crontab -l', 'crontab -', 'crontab -l']);
    expect(readFileSync(path.join(box.state, 'crontab'), 'utf8')).toBe(table);

    const tick = await readInstalledTick(layoutFor(box.root));
    expect(tick).toMatchObject({
      kind: 'cron',
      paths: ['crontab'],
      id: `# tickfleet:${box.root}`,
      activated: true,
      command: [process.execPath, CLI, '-C', box.root, 'scheduler'],
    });
    expect(tick?.log).toBe(path.join(box.root, '.orchestrator', 'logs', 'tick.log'));

    const removed = await cli(box, ['setup', 'cron', '--uninstall']);
    expect(removed.stdout).toContain('  removed    crontab entry\n');
    expect(readFileSync(path.join(box.state, 'crontab'), 'utf8')).toBe(others);
    expect(await readInstalledTick(layoutFor(box.root))).toBeUndefined();

    const again = await cli(box, ['setup', 'cron', '--uninstall', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      outcome: 'absent',
      items: [{ path: 'crontab', action: 'absent' }],
      ran: [],
    });
  });

  it('starts a crontab for a user who had none, and replaces an outdated line in place', async () => {
    const box = sandbox();
    const installed = JSON.parse((await cli(box, ['setup', 'cron', '--json'])).stdout) as {
      outcome: string;
      plan: { crontabLine: string };
    };
    expect(installed.outcome).toBe('installed');
    const file = path.join(box.state, 'crontab');
    expect(readFileSync(file, 'utf8')).toBe(`${installed.plan.crontabLine}\n`);
    writeFileSync(
      file,
      `0 1 * * * first\n${installed.plan.crontabLine.replace('PATH=', 'PATH=/old:')}\n0 2 * * * last\n`,
    );
    const updated = JSON.parse((await cli(box, ['setup', 'cron', '--json'])).stdout) as {
      outcome: string;
      items: unknown;
    };
    expect(updated).toMatchObject({ outcome: 'installed', items: [{ path: 'crontab', action: 'updated' }] });
    expect(readFileSync(file, 'utf8')).toBe(`0 1 * * * first\n${installed.plan.crontabLine}\n0 2 * * * last\n`);
  });
});

describe('tickfleet setup launchd (built CLI)', () => {
  it('writes the plist and loads it once; unloads and removes it on --uninstall', async () => {
    const box = sandbox();
    const plist = path.join(box.home, 'Library', 'LaunchAgents', `com.tickfleet.${projectSlug(box.root)}.plist`);
    const first = await cli(box, ['setup', 'launchd']);
    expect(first.code).toBe(0);
    expect(normalise(box, first.stdout)).toContain(
      `  created    <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist\n  ran        launchctl load -w <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist\n`,
    );
    expect(readFileSync(plist, 'utf8')).toContain('<key>StartInterval</key>');
    const label = `com.tickfleet.${projectSlug(box.root)}`;
    expect(calls(box)).toEqual([`launchctl list ${label}`, `launchctl load -w ${plist}`]);

    const mtime = (await fs.stat(plist)).mtimeMs;
    const second = await cli(box, ['setup', 'launchd']);
    expect(second.stdout).toContain(`  unchanged  ${plist}\n`);
    expect(second.stdout).toContain('Already installed: nothing changed.');
    expect((await fs.stat(plist)).mtimeMs).toBe(mtime);
    expect(calls(box).slice(2)).toEqual([`launchctl list ${label}`]);

    const removed = await cli(box, ['setup', 'launchd', '--uninstall']);
    expect(removed.stdout).toContain(`  removed    ${plist}\n  ran        launchctl unload -w ${plist}\n`);
    expect(existsSync(plist)).toBe(false);
    expect(calls(box).slice(3)).toEqual([`launchctl list ${label}`, `launchctl unload -w ${plist}`]);
  });

  it('without launchctl (Linux) still writes the plist and says the load step was skipped', async () => {
    const box = sandbox();
    const out = await cli(box, ['setup', 'launchd', '--json'], {
      TICKFLEET_LAUNCHCTL: path.join(box.bin, 'no-such-launchctl'),
    });
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as { outcome: string; skipped: string[]; items: { path: string }[] };
    expect(result.outcome).toBe('installed');
    expect(existsSync(result.items[0]!.path)).toBe(true);
    expect(normalise(box, result.skipped.join('\n'))).toBe(
      'launchctl not found: <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist is written but not loaded; on macOS run: launchctl load -w <home>/Library/LaunchAgents/com.tickfleet.<slug>.plist',
    );
    expect(await readInstalledTick(layoutFor(box.root))).toMatchObject({ kind: 'launchd', activated: false });
  });
});

describe('tickfleet setup systemd (built CLI)', () => {
  it('writes the units, reloads and enables the timer; the second run changes nothing; --uninstall undoes it', async () => {
    const box = sandbox();
    const slug = projectSlug(box.root);
    const dir = path.join(box.home, '.config', 'systemd', 'user');
    const first = await cli(box, ['setup', 'systemd']);
    expect(first.code).toBe(0);
    expect(existsSync(path.join(dir, `tickfleet-${slug}.service`))).toBe(true);
    expect(existsSync(path.join(dir, `tickfleet-${slug}.timer`))).toBe(true);
    const timer = `tickfleet-${slug}.timer`;
    expect(calls(box)).toEqual([
      `systemctl --user is-enabled --quiet ${timer}`,
      `systemctl --user is-active --quiet ${timer}`,
      'systemctl --user daemon-reload',
      `systemctl --user enable --now ${timer}`,
    ]);
    expect(first.stdout).toContain('  ran        systemctl --user enable --now');
    expect(first.stdout).toContain('  note       a user timer runs only while you are logged in');

    const second = await cli(box, ['setup', 'systemd', '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({
      outcome: 'unchanged',
      ran: [],
      items: [{ action: 'unchanged' }, { action: 'unchanged' }],
    });
    expect(calls(box)).toHaveLength(6);

    const removed = await cli(box, ['setup', 'systemd', '--uninstall']);
    expect(removed.code).toBe(0);
    expect(calls(box).slice(6)).toEqual([
      `systemctl --user is-enabled --quiet ${timer}`,
      `systemctl --user is-active --quiet ${timer}`,
      `systemctl --user disable --now ${timer}`,
      'systemctl --user daemon-reload',
    ]);
    expect(await fs.readdir(dir)).toEqual([]);
    expect(await readInstalledTicks(layoutFor(box.root))).toEqual([]);
  });

  it('follows $XDG_CONFIG_HOME, and warns when another scheduler already runs the tick', async () => {
    const box = sandbox();
    const xdg = path.join(box.home, 'xdg');
    expect((await cli(box, ['setup', 'cron'])).code).toBe(0);
    const out = await cli(box, ['setup', 'systemd'], { XDG_CONFIG_HOME: xdg });
    expect(out.code).toBe(0);
    expect(existsSync(path.join(xdg, 'systemd', 'user', `tickfleet-${projectSlug(box.root)}.service`))).toBe(true);
    expect(out.stderr).toBe(
      'warning: the tick is also installed with cron: two schedulers would both tick every minute; remove one with `tickfleet setup cron --uninstall`\n',
    );
    expect((await readInstalledTicks(layoutFor(box.root))).map((t) => t.kind)).toEqual(['cron', 'systemd']);
  });
});

describe('tickfleet setup --serve (built CLI)', () => {
  it('systemd: --print shows the server unit; install enables it beside the timer; --uninstall removes both', async () => {
    const box = sandbox();
    const slug = projectSlug(box.root);
    const dir = path.join(box.home, '.config', 'systemd', 'user');
    const serve = `tickfleet-${slug}-serve.service`;

    const printed = await cli(box, ['setup', 'systemd', '--serve', '--print']);
    expect(printed.code).toBe(0);
    const text = normalise(box, printed.stdout);
    expect(text).toContain(`# file <home>/.config/systemd/user/${serve.replace(slug, '<slug>')}:`);
    expect(text).toContain('ExecStart=<node> <cli> -C <root> serve');
    expect(text).toContain('Restart=on-failure');
    expect(text).toContain('StandardOutput=append:<root>/.orchestrator/logs/serve.log');
    expect(text).toContain(`# then: systemctl --user enable --now ${serve.replace(slug, '<slug>')}`);
    expect(existsSync(dir)).toBe(false);

    expect((await cli(box, ['setup', 'systemd', '--serve'])).code).toBe(0);
    expect(existsSync(path.join(dir, serve))).toBe(true);
    expect(calls(box)).toContain(`systemctl --user enable --now ${serve}`);

    const removed = await cli(box, ['setup', 'systemd', '--uninstall']);
    expect(removed.code).toBe(0);
    expect(calls(box)).toContain(`systemctl --user disable --now ${serve}`);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('launchd: a second plist kept alive, loaded and unloaded with the tick', async () => {
    const box = sandbox();
    const label = `com.tickfleet.${projectSlug(box.root)}.serve`;
    const plist = path.join(box.home, 'Library', 'LaunchAgents', `${label}.plist`);
    expect((await cli(box, ['setup', 'launchd', '--serve'])).code).toBe(0);
    const content = readFileSync(plist, 'utf8');
    expect(content).toContain('<string>serve</string>');
    expect(content).toMatch(/<key>KeepAlive<\/key>\s*<true\/>/);
    expect(calls(box)).toContain(`launchctl load -w ${plist}`);
    expect((await cli(box, ['setup', 'launchd', '--uninstall'])).code).toBe(0);
    expect(calls(box)).toContain(`launchctl unload -w ${plist}`);
    expect(existsSync(plist)).toBe(false);
  });

  it('cron: refused, as cron cannot keep a server running', async () => {
    const box = sandbox();
    const result = await cli(box, ['setup', 'cron', '--serve']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('setup cron --serve: cron starts commands, it cannot keep a server running');
    expect(calls(box)).toEqual([]);
  });
});
