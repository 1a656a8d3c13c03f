import { execFile } from 'node:child_process';
import { promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { phraseCommands, tickfleetInvocation } from '../src/init/cliCommand.js';
import { npmInstall, PKG, personEnv, submoduleInstall } from './helpers/installs.js';
import { tempDir } from './helpers/tmp.js';

const execFileP = promisify(execFile);
const SUB_CLI = 'node orchestrator/dist/bundle/cli.js';

/** PATH without any `tickfleet`: node's folder and the system folders. */
const BARE_PATH = [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter);

async function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await execFileP('sh', ['-c', command], {
      cwd,
      env: personEnv({ PATH: BARE_PATH, ...env }),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function installed(host: string): Promise<Record<string, string>> {
  const dir = path.join(host, '.claude', 'commands');
  const names = await fs.readdir(dir);
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await fs.readFile(path.join(dir, n), 'utf8')] as const)),
  );
}

describe('tickfleetInvocation: how tickfleet runs in a project', () => {
  it('submodule: by its path relative to the root; npm: npx; elsewhere: tickfleet in shared files, the absolute CLI for a person', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'tools', 'tick fleet'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'tickfleet'), { recursive: true });
    expect(tickfleetInvocation(root, { pkgRoot: path.join(root, 'tools', 'tick fleet'), shared: true })).toEqual({
      command: "node 'tools/tick fleet/dist/bundle/cli.js'",
      kind: 'submodule',
    });
    expect(tickfleetInvocation(root, { pkgRoot: path.join(root, 'node_modules', 'tickfleet'), shared: true })).toEqual({
      command: 'npx tickfleet',
      kind: 'npm',
    });
    expect(tickfleetInvocation(root, { pkgRoot: PKG, shared: true })).toEqual({
      command: 'tickfleet',
      kind: 'outside',
    });
    expect(tickfleetInvocation(root, { pkgRoot: PKG, searchPath: BARE_PATH })).toEqual({
      command: `node ${path.join(PKG, 'dist', 'bundle', 'cli.js')}`,
      kind: 'outside',
    });
    expect(
      phraseCommands('run `tickfleet setup cron`, or keep `tickfleet watch` running; tickfleet sets it', SUB_CLI),
    ).toBe(`run \`${SUB_CLI} setup cron\`, or keep \`${SUB_CLI} watch\` running; tickfleet sets it`);
  });
});

describe('a submodule install (built CLI)', () => {
  it('installs slash commands with no absolute path, and every fix init, status and doctor print runs there', async () => {
    const { host, sub } = await submoduleInstall();
    const before = await sh(`${SUB_CLI} status`, host);
    expect(before.stderr).toContain(`run \`${SUB_CLI} init\` in ${host} first`);

    const init = await sh(`${SUB_CLI} init -y`, host);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      `Run tickfleet as: ${SUB_CLI} <command> (from ${host}), or add an alias: alias tickfleet='node ${path.join(await fs.realpath(sub), 'dist', 'bundle', 'cli.js')}'`,
    );
    expect(init.stdout).toContain(`run \`${SUB_CLI} doctor\``);
    expect(init.stdout).toContain(`\`${SUB_CLI} setup cron\``);

    const files = await installed(host);
    expect(Object.keys(files)).toHaveLength(11);
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toContain(host);
      expect(text, name).not.toContain(await fs.realpath(host));
      expect(text, name).not.toContain(PKG);
      expect(text, name).toMatch(
        new RegExp(`^allowed-tools: Bash\\(${SUB_CLI.replace(/[./]/g, '\\$&')} [a-z -]+:\\*\\)`, 'm'),
      );
    }
    // The slash command's own words run from the project root.
    const command = /^allowed-tools: Bash\((.*) status:\*\)$/m.exec(files['status.md']!)![1]!;
    const status = await sh(`${command} status`, host);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      `→ run \`${SUB_CLI} setup cron\` (or launchd / systemd), or keep \`${SUB_CLI} watch\` running`,
    );
    expect(status.stdout).not.toMatch(/`tickfleet /);
    const json = JSON.parse((await sh(`${command} status --json`, host)).stdout) as { attention: { fix: string }[] };
    expect(json.attention.map((a) => a.fix)).toContain(
      `run \`${SUB_CLI} setup cron\` (or launchd / systemd), or keep \`${SUB_CLI} watch\` running`,
    );

    const doctor = await sh(`${SUB_CLI} doctor`, host);
    expect(doctor.stdout).toContain(`fix: run \`${SUB_CLI} setup cron\``);
    expect(doctor.stdout).not.toMatch(/`tickfleet /);

    // A `tickfleet` on PATH that is this package: fixes say plain `tickfleet`, committed files still do not depend on it.
    const bin = tempDir('tickfleet-bin-');
    await fs.symlink(path.join(sub, 'dist', 'bundle', 'cli.js'), path.join(bin, 'tickfleet'));
    const onPath = { PATH: [bin, BARE_PATH].join(path.delimiter) };
    expect((await sh('tickfleet status', host, onPath)).stdout).toContain('→ run `tickfleet setup cron`');
    const again = await sh('tickfleet init -y', host, onPath);
    expect(again.stdout).not.toContain('Run tickfleet as:');
    expect(await installed(host)).toEqual(files);
  });
});

describe('an npm install (built CLI)', () => {
  it('installs slash commands that call `npx tickfleet`, and prints fixes with it', async () => {
    const { host } = await npmInstall();
    const init = await sh('npx --no-install tickfleet init -y', host);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Run tickfleet as: npx tickfleet <command>');
    for (const [name, text] of Object.entries(await installed(host))) {
      expect(text, name).not.toContain(host);
      expect(text, name).toMatch(/^allowed-tools: Bash\(npx tickfleet [a-z -]+:\*\)/m);
    }
    expect((await sh('npx --no-install tickfleet status', host)).stdout).toContain('→ run `npx tickfleet setup cron`');
  });
});
