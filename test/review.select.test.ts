import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReviewConfig } from '../src/config/agentsConfig.js';
import { selectReviewBackend } from '../src/review/select.js';
import { git, tempDir, tempRepo } from './helpers/tmp.js';

const FAKE_GH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-gh');
beforeAll(() => chmodSync(path.join(FAKE_GH_DIR, 'gh'), 0o755));

const config = (backend: ReviewConfig['backend']): ReviewConfig => ({ backend, remote: 'origin' });
const withGh = () => ({ PATH: FAKE_GH_DIR });
const withoutGh = () => ({ PATH: tempDir() });

function repoWithRemote(): string {
  const root = tempRepo();
  git(root, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
  return root;
}

describe('selectReviewBackend', () => {
  it('auto picks github when the remote exists and gh is on PATH', async () => {
    const { backend, reason } = await selectReviewBackend(repoWithRemote(), config('auto'), { env: withGh() });
    expect(backend.kind).toBe('github');
    expect(reason).toBe(`auto: remote origin exists and gh is at ${path.join(FAKE_GH_DIR, 'gh')}`);
  });

  it('auto falls back to local, saying why', async () => {
    const noRemote = await selectReviewBackend(tempRepo(), config('auto'), { env: withGh() });
    expect([noRemote.backend.kind, noRemote.reason]).toEqual([
      'local',
      'auto: no remote origin, so reviews wait in the local queue',
    ]);
    const noGh = await selectReviewBackend(repoWithRemote(), config('auto'), { env: withoutGh() });
    expect([noGh.backend.kind, noGh.reason]).toEqual([
      'local',
      'auto: remote origin exists but gh is not on PATH, so reviews wait in the local queue',
    ]);
  });

  it('honours an explicit choice, and fails loudly when github cannot work', async () => {
    expect((await selectReviewBackend(repoWithRemote(), config('local'), { env: withGh() })).backend.kind).toBe(
      'local',
    );
    expect((await selectReviewBackend(repoWithRemote(), config('github'), { env: withGh() })).backend.kind).toBe(
      'github',
    );
    await expect(selectReviewBackend(repoWithRemote(), config('github'), { env: withoutGh() })).rejects.toThrow(
      /review\.backend is github but gh is not on PATH.*set review\.backend: local/,
    );
    await expect(selectReviewBackend(tempRepo(), config('github'), { env: withGh() })).rejects.toThrow(
      /review\.backend is github but the repository has no remote origin/,
    );
  });
});
