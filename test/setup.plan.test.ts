import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronLine, isOurLine, removeCronLine, upsertCronLine } from '../src/setup/crontab.js';
import { renderPlist } from '../src/setup/launchd.js';
import type { TickSpec } from '../src/setup/plan.js';
import { SYSTEM_DIRS, tickPath, which } from '../src/setup/searchPath.js';
import { renderService, renderTimer } from '../src/setup/systemd.js';
import { fillTemplate, systemdWord, xmlEscape } from '../src/setup/templates.js';
import { projectSlug } from '../src/setup/tickSpec.js';
import { tempDir } from './helpers/tmp.js';

function exe(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

function spec(over: Partial<TickSpec> = {}): TickSpec {
  const root = over.root ?? '/srv/my app';
  return {
    root,
    node: '/opt/node/bin/node',
    cli: '/opt/tickfleet/dist/cli.js',
    args: ['-C', root, 'scheduler'],
    path: '/opt/node/bin:/usr/bin:/bin',
    logFile: `${root}/.orchestrator/logs/tick.log`,
    slug: 'my-app-12345678',
    warnings: [],
    ...over,
  };
}

describe('the tick PATH', () => {
  it('puts node first, then where claude, git and gh are found, then the system folders, without duplicates', () => {
    const tmp = tempDir();
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    exe(a, 'claude');
    exe(b, 'git');
    exe(a, 'gh');
    exe(b, 'claude'); // shadowed by a/claude, as `which` would have it
    const result = tickPath('/usr/bin/node', ['relative/bin', a, b].join(path.delimiter));
    expect(result.value.split(path.delimiter)).toEqual([...new Set(['/usr/bin', a, b, ...SYSTEM_DIRS])]);
    expect(result.found).toEqual({ claude: path.join(a, 'claude'), git: path.join(b, 'git'), gh: path.join(a, 'gh') });
    expect(result.warnings).toEqual([]);
  });

  it('warns about each tool it cannot find, saying what the tick could not do', () => {
    const tmp = tempDir();
    exe(tmp, 'git');
    exe(tmp, 'claude', 0o644); // not executable: `which` skips it
    const result = tickPath('/opt/node/bin/node', tmp);
    expect(result.value.split(path.delimiter)).toEqual(['/opt/node/bin', tmp, ...SYSTEM_DIRS]);
    expect(result.warnings).toEqual([
      'claude not found on PATH: the tick could not start any agent; install it (or add its folder to PATH) and run setup again',
      'gh not found on PATH: pull requests could not be opened (review back end `github`); install it (or add its folder to PATH) and run setup again',
    ]);
    expect(which('git', undefined)).toBeUndefined();
  });
});

describe('projectSlug', () => {
  it('is readable and tells apart two checkouts with the same folder name', () => {
    expect(projectSlug('/home/ann/My App!')).toMatch(/^my-app-[0-9a-f]{8}$/);
    expect(projectSlug('/a/app')).not.toBe(projectSlug('/b/app'));
    expect(projectSlug('/a/app')).toBe(projectSlug('/a/app'));
    expect(projectSlug('/')).toMatch(/^project-[0-9a-f]{8}$/);
  });
});

describe('the crontab line', () => {
  it('quotes for the shell, escapes % for cron and ends with the project marker', () => {
    const line = cronLine(spec({ root: '/srv/50% app', logFile: '/srv/50% app/.orchestrator/logs/tick.log' }));
    expect(line).toBe(
      "* * * * * cd '/srv/50\\% app' && PATH=/opt/node/bin:/usr/bin:/bin /opt/node/bin/node /opt/tickfleet/dist/cli.js -C '/srv/50\\% app' scheduler >> '/srv/50\\% app/.orchestrator/logs/tick.log' 2>&1 # tickfleet:/srv/50\\% app",
    );
    expect(isOurLine(line, '/srv/50% app')).toBe(true);
    expect(isOurLine(line, '/srv/50%')).toBe(false);
  });

  it('is appended once, then left alone, then replaced in place; other lines never move', () => {
    const ours = cronLine(spec({ root: '/p' }));
    const others = '# m h dom mon dow command\n0 3 * * * /usr/bin/backup\n* * * * * run # tickfleet:/p/sub\n';
    const added = upsertCronLine(others, '/p', ours);
    expect(added).toEqual({ action: 'created', text: `${others + ours}\n` });
    expect(upsertCronLine(added.text, '/p', ours)).toEqual({ action: 'unchanged', text: added.text });
    const newer = cronLine(spec({ root: '/p', path: '/new/bin' }));
    const moved = `${ours}\n${others}${ours}\n`; // a hand-copied duplicate
    expect(upsertCronLine(moved, '/p', newer)).toEqual({ action: 'updated', text: `${newer}\n${others}` });
    expect(upsertCronLine('', '/p', ours)).toEqual({ action: 'created', text: `${ours}\n` });
  });

  it('is removed alone; another project marker that merely starts the same stays', () => {
    const ours = cronLine(spec({ root: '/p' }));
    const others = '0 3 * * * /usr/bin/backup\n* * * * * run # tickfleet:/p/sub';
    expect(removeCronLine(`${ours}\n${others}\n`, '/p')).toEqual({ action: 'removed', text: `${others}\n` });
    expect(removeCronLine(`${others}\n`, '/p')).toEqual({ action: 'absent', text: `${others}\n` });
    expect(removeCronLine(`${ours}\n`, '/p')).toEqual({ action: 'removed', text: '' });
  });
});

describe('scheduler files', () => {
  it('XML-escapes every value in the plist', () => {
    const plist = renderPlist(spec({ root: '/srv/R&D <x>', path: '/a&b', logFile: '/l"og' }));
    expect(plist).toContain(
      '        <string>/opt/node/bin/node</string>\n        <string>/opt/tickfleet/dist/cli.js</string>\n        <string>-C</string>\n        <string>/srv/R&amp;D &lt;x&gt;</string>\n        <string>scheduler</string>\n',
    );
    expect(plist).toContain('<key>WorkingDirectory</key>\n    <string>/srv/R&amp;D &lt;x&gt;</string>');
    expect(plist).toContain('<key>PATH</key>\n        <string>/a&amp;b</string>');
    expect(plist).toContain('<string>/l&quot;og</string>');
    expect(plist).toContain('<key>StartInterval</key>\n    <integer>60</integer>');
    expect(plist).not.toContain('{{');
    expect(xmlEscape(`'`)).toBe('&apos;');
  });

  it('quotes systemd words and escapes % specifiers and $ variables', () => {
    const service = renderService(spec({ root: '/srv/100%$ "x"', path: '/a b:/c', logFile: '/var/log/t%.log' }));
    expect(service).toContain('WorkingDirectory=/srv/100%%$ "x"\n');
    expect(service).toContain('Environment="PATH=/a b:/c"\n');
    expect(service).toContain(
      'ExecStart=/opt/node/bin/node /opt/tickfleet/dist/cli.js -C "/srv/100%%$$ \\"x\\"" scheduler\n',
    );
    expect(service).toContain('StandardOutput=append:/var/log/t%%.log\n');
    expect(service).toContain('Type=oneshot\n');
    expect(service).toContain('KillMode=process\n');
    const timer = renderTimer(spec());
    for (const line of [
      'OnCalendar=minutely',
      'AccuracySec=1s',
      'Persistent=true',
      'Unit=tickfleet-my-app-12345678.service',
      'WantedBy=timers.target',
    ]) {
      expect(timer.split('\n')).toContain(line);
    }
    expect(systemdWord('plain/path')).toBe('plain/path');
  });

  it('refuses a template placeholder without a value', () => {
    expect(fillTemplate('a {{x}} b', { x: '1' })).toBe('a 1 b');
    expect(() => fillTemplate('a {{y}}', {})).toThrow('no value for {{y}}');
  });
});
