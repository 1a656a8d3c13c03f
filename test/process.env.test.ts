import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRun } from '../src/git/run.js';
import { overlayEnv, withoutRepoEnv } from '../src/process/env.js';
import { runProcess } from '../src/process/run.js';
import { tempRepo } from './helpers/tmp.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('environment', () => {
  it('withoutRepoEnv drops the variables that point git elsewhere and keeps the rest', () => {
    const env = withoutRepoEnv({
      GIT_DIR: '/x/.git',
      GIT_WORK_TREE: '/x',
      GIT_INDEX_FILE: 'i',
      GIT_AUTHOR_NAME: 'A',
      PATH: '/bin',
    });
    expect(env).toEqual({ GIT_AUTHOR_NAME: 'A', PATH: '/bin' });
  });

  it('overlayEnv sets and removes, leaving its base alone', () => {
    const base = { A: '1', B: '2' };
    expect(overlayEnv(base, { B: undefined, C: '3' })).toEqual({ A: '1', C: '3' });
    expect(base).toEqual({ A: '1', B: '2' });
  });

  it('a given environment is the whole environment of the child', async () => {
    process.env.TICKFLEET_TEST_INHERITED = 'yes';
    const inherited = await runProcess('sh', ['-c', 'echo "[$TICKFLEET_TEST_INHERITED]"']);
    expect(inherited.stdout).toBe('[yes]\n');
    const given = await runProcess('/bin/sh', ['-c', 'echo "[$TICKFLEET_TEST_INHERITED][$ONLY]"'], {
      env: { ONLY: 'this' },
    });
    expect(given.stdout).toBe('[][this]\n');
  });

  it('git ignores a GIT_DIR inherited from a hook and runs in its cwd', async () => {
    const mine = tempRepo();
    const other = tempRepo();
    process.env.GIT_DIR = `${other}/.git`;
    process.env.GIT_WORK_TREE = other;
    const r = await gitRun(mine, ['rev-parse', '--show-toplevel']);
    expect(r.stdout.trim()).toBe(realpathSync(mine));
  });
});
