import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { git, tempDir, tempRepo } from './tmp.js';

/** This checkout, built (`npm run build`). */
export const PKG = path.resolve(import.meta.dirname, '../..');

/**
 * A host project with tickfleet as a git submodule at orchestrator/, as the
 * README's quick start makes it: the built package in its own repository,
 * added with `git submodule add` (a local path needs protocol.file.allow).
 */
export async function submoduleInstall(): Promise<{ host: string; sub: string }> {
  const upstream = tempDir('tickfleet-upstream-');
  // The bundle is all a submodule install runs (the CLI and the runner); the rest of dist/ is the library.
  for (const part of ['dist/bundle', 'templates', 'slash-commands', 'schema', 'package.json'])
    await fs.cp(path.join(PKG, part), path.join(upstream, part), { recursive: true });
  git(upstream, 'init', '-q', '-b', 'main');
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-q', '-m', 'tickfleet');
  const host = tempRepo();
  git(host, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', upstream, 'orchestrator');
  return { host, sub: path.join(host, 'orchestrator') };
}

/**
 * A host project with tickfleet installed from npm: the tarball `npm pack`
 * makes (package.json's `files`), unpacked where npm puts it, with its bin
 * link. Dependencies are not installed: the CLI is a bundle that needs none.
 */
export async function npmInstall(): Promise<{ host: string; pkg: string }> {
  const packs = tempDir('tickfleet-pack-');
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], {
      cwd: PKG,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { filename: string }[];
  const host = tempRepo({ 'package.json': '{ "name": "host", "private": true }\n' });
  const pkg = path.join(host, 'node_modules', 'tickfleet');
  await fs.mkdir(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(packs, packed!.filename), '-C', pkg, '--strip-components=1']);
  await fs.mkdir(path.join(host, 'node_modules', '.bin'));
  await fs.symlink('../tickfleet/dist/bundle/cli.js', path.join(host, 'node_modules', '.bin', 'tickfleet'));
  return { host, pkg };
}

/** The environment of a person's shell without tickfleet on PATH and without an agent's identity. */
export function personEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { TICKFLEET_PROJECT: _p, TICKFLEET_AGENT: _a, TICKFLEET_RUN_ID: _r, ...env } = process.env;
  return { ...env, NO_COLOR: '1', ...extra };
}
