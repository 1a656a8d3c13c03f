import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';
import { npmInstall, PKG, personEnv, submoduleInstall } from './helpers/installs.js';

const execFileP = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8')) as { version: string }).version;

describe('tickfleet --version', () => {
  it('prints the package version from the bundle, with -V too', async () => {
    for (const flag of ['--version', '-V']) {
      const { stdout, stderr } = await execFileP(process.execPath, [CLI, flag], { env: personEnv() });
      expect(stdout).toBe(`${VERSION}\n`);
      expect(stderr).toBe('');
    }
  });

  it('from a submodule install, run by its relative path', async () => {
    const { host } = await submoduleInstall();
    const { stdout } = await execFileP(process.execPath, ['orchestrator/dist/bundle/cli.js', '--version'], {
      cwd: host,
      env: personEnv(),
    });
    expect(stdout).toBe(`${VERSION}\n`);
  });

  it('from an npm install, through npx', async () => {
    const { host } = await npmInstall();
    const { stdout } = await execFileP('npx', ['--no-install', 'tickfleet', '--version'], {
      cwd: host,
      env: personEnv(),
    });
    expect(stdout).toBe(`${VERSION}\n`);
  });
});
