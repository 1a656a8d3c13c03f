import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

const execFileP = promisify(execFile);
const PKG = path.resolve('.');
const CLI = path.join(PKG, 'dist', 'bundle', 'cli.js');

async function run(file: string, args: string[], cwd: string) {
  const { TICKFLEET_PROJECT: _p, TICKFLEET_AGENT: _a, ...env } = process.env;
  const { stdout } = await execFileP(file, args, { cwd, env: { ...env, NO_COLOR: '1' } });
  return stdout;
}

interface JsonResult {
  root: string;
  cliCommand: string;
  items: { path: string; action: string }[];
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json)`);
});

describe('tickfleet init (built CLI)', () => {
  it('sets up a project with -y, then finds everything in place on a second run', async () => {
    const dir = tempDir();
    const first = await run('node', [CLI, '-C', dir, 'init', '-y'], PKG);
    expect(first).toContain(`tickfleet init in ${dir}`);
    expect(first).toMatch(/created +\.orchestrator\/agents\.yaml/);
    expect(first).toMatch(/created +11 slash commands under \.claude\/commands\//);
    const second = await run('node', [CLI, '-C', dir, 'init', '-y'], PKG);
    expect(second).toMatch(/unchanged +\.orchestrator\/agents\.yaml/);
    expect(second.trimEnd().split('\n').pop()).toBe('Already set up: nothing changed.');
  });

  it('takes --no-skills / --no-gitignore, and without a terminal accepts the defaults', async () => {
    const dir = tempDir();
    const skipped = JSON.parse(
      await run('node', [CLI, '-C', dir, 'init', '--no-skills', '--no-gitignore', '--json'], PKG),
    ) as JsonResult;
    expect(skipped.items.filter((i) => i.action === 'skipped').map((i) => i.path)).toEqual([
      '.claude/commands/',
      '.gitignore',
    ]);
    const defaults = JSON.parse(await run('node', [CLI, '-C', dir, 'init', '--json'], PKG)) as JsonResult;
    expect(defaults.items.find((i) => i.path === '.gitignore')?.action).toBe('created');
    expect(defaults.items.filter((i) => i.path.startsWith('.claude/commands/') && i.action === 'created')).toHaveLength(
      11,
    );
  });

  it('initialises the top of the work tree when run from a subdirectory', async () => {
    const repo = tempRepo({ 'src/app/main.ts': '', 'CLAUDE.md': '# app\n' });
    const out = JSON.parse(
      await run('node', [CLI, 'init', '-y', '--json'], path.join(repo, 'src', 'app')),
    ) as JsonResult;
    expect(await fs.realpath(out.root)).toBe(await fs.realpath(repo));
    expect(existsSync(path.join(repo, '.orchestrator', 'agents.yaml'))).toBe(true);
    expect(existsSync(path.join(repo, 'src', 'app', '.orchestrator'))).toBe(false);
    expect(await fs.readFile(path.join(repo, 'CLAUDE.md'), 'utf8')).toContain('Check .orchestrator/messages/');
  });

  it('works with tickfleet as a git submodule at orchestrator/, from the root and from inside the submodule', async () => {
    // A tickfleet checkout as users get it: the built package in its own repository.
    const upstream = tempDir('tickfleet-upstream-');
    for (const part of ['dist', 'templates', 'slash-commands', 'package.json'])
      await fs.cp(path.join(PKG, part), path.join(upstream, part), { recursive: true });
    git(upstream, 'init', '-q', '-b', 'main');
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-q', '-m', 'tickfleet');
    const host = tempRepo();
    git(host, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', upstream, 'orchestrator');
    const sub = path.join(host, 'orchestrator');
    await fs.symlink(path.join(PKG, 'node_modules'), path.join(sub, 'node_modules'));

    const fromRoot = JSON.parse(
      await run('node', ['orchestrator/dist/bundle/cli.js', 'init', '-y', '--json'], host),
    ) as JsonResult;
    expect(fromRoot.root).toBe(host);
    expect(fromRoot.cliCommand).toBe('node orchestrator/dist/bundle/cli.js');
    expect((await fs.readFile(path.join(host, '.orchestrator', 'agents.yaml'), 'utf8')).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../orchestrator/schema/agents.schema.json',
    );

    // Inside the submodule git's top level is tickfleet's own checkout; init still means the host.
    const fromInside = JSON.parse(await run('node', ['dist/bundle/cli.js', 'init', '-y', '--json'], sub)) as JsonResult;
    expect(await fs.realpath(fromInside.root)).toBe(await fs.realpath(host));
    expect(fromInside.items.every((i) => ['unchanged', 'suggested'].includes(i.action))).toBe(true);
    expect(existsSync(path.join(sub, '.orchestrator'))).toBe(false);

    // The installed slash command's CLI works from the project root, where Claude Code starts.
    const status = await fs.readFile(path.join(host, '.claude', 'commands', 'messages.md'), 'utf8');
    const command = /^allowed-tools: Bash\((.*) messages:\*\)$/m.exec(status)![1]!;
    expect(await run('sh', ['-c', `${command} messages list`], host)).toBe('no messages\n');
  });
});
