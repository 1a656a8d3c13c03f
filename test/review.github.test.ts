import { chmodSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGithubReview } from '../src/review/github.js';
import { tempDir, tempRepo } from './helpers/tmp.js';

const FAKE_GH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-gh');

beforeAll(() => chmodSync(path.join(FAKE_GH_DIR, 'gh'), 0o755));

interface GhCall {
  argv: string[];
  stdin: string | null;
  cwd: string;
}

function setup(extra: Record<string, string> = {}) {
  const root = tempRepo();
  const log = path.join(tempDir(), 'gh-calls.jsonl');
  const env = { PATH: `${FAKE_GH_DIR}${path.delimiter}${process.env.PATH}`, FAKE_GH_LOG: log, ...extra };
  const calls = (): GhCall[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as GhCall);
  return { root, env, calls, review: createGithubReview({ root, env }) };
}

const request = {
  taskId: 'TASK-a1b2c3d4',
  branch: 'agent/TASK-a1b2c3d4',
  base: 'main',
  title: 'Add input validation',
  body: '## Summary\n\nValidates `--name`; body with "quotes" and $dollars.\n',
};

describe('github review back end', () => {
  it('opens a PR with the body on stdin and returns its URL and number', async () => {
    const { root, calls, review } = setup();
    const pr = await review.submit(request);
    expect(pr).toEqual({ id: '1', url: 'https://github.com/acme/widgets/pull/1', number: 1 });
    expect(calls()).toEqual([
      {
        argv: [
          'pr',
          'create',
          '--base',
          'main',
          '--head',
          'agent/TASK-a1b2c3d4',
          '--title',
          'Add input validation',
          '--body-file',
          '-',
        ],
        stdin: request.body,
        cwd: realpathSync(root),
        failed: false,
      },
    ]);
  });

  it('counts open PRs', async () => {
    const { calls, review } = setup();
    expect(await review.openCount()).toBe(0);
    await review.submit(request);
    await review.submit({ ...request, branch: 'agent/TASK-2' });
    expect(await review.openCount()).toBe(2);
    await review.merge(1, { method: 'squash', deleteBranch: true });
    expect(await review.openCount()).toBe(1);
    expect(calls().find((c) => c.argv[1] === 'list')?.argv).toEqual([
      'pr',
      'list',
      '--state',
      'open',
      '--json',
      'number,headRefName',
      '--limit',
      '1000',
    ]);
    expect(await review.list()).toEqual([
      {
        number: 2,
        url: 'https://github.com/acme/widgets/pull/2',
        headRefName: 'agent/TASK-2',
        baseRefName: 'main',
        title: request.title,
      },
    ]);
  });

  it("counts only tickfleet's PRs: a person's PR in the same repository does not hold claims back", async () => {
    const { review } = setup();
    await review.submit(request);
    await review.submit({ ...request, branch: 'feature/by-hand' });
    await review.submit({ ...request, branch: 'dependabot/npm_and_yarn/yaml-2.5.0' });
    expect(await review.openCount()).toBe(1);
  });

  it('throws when the open count cannot be read, never reads it as zero', async () => {
    await expect(setup({ FAKE_GH_FAIL: 'pr list' }).review.openCount()).rejects.toThrow(
      /gh pr list failed \(exit 1\): HTTP 401: Bad credentials.*gh auth status/,
    );
    await expect(setup({ FAKE_GH_OUTPUT: 'Welcome to GitHub CLI!' }).review.openCount()).rejects.toThrow(
      /gh pr list printed something that is not JSON/,
    );
    await expect(setup({ FAKE_GH_OUTPUT: '{"number":1}' }).review.openCount()).rejects.toThrow(/not a list/);
  });

  it('throws when a PR cannot be opened, naming what gh said', async () => {
    const { review } = setup({
      FAKE_GH_FAIL: 'pr create',
      FAKE_GH_STDERR: 'pull request create failed: GraphQL: No commits between main and agent/TASK-a1b2c3d4\n',
    });
    await expect(review.submit(request)).rejects.toThrow(
      /gh pr create failed \(exit 1\): pull request create failed: GraphQL: No commits/,
    );
  });

  it('on a retry returns the PR that is already open for the branch', async () => {
    const { review } = setup({
      FAKE_GH_FAIL: 'pr create',
      FAKE_GH_STDERR:
        'a pull request for branch "agent/TASK-a1b2c3d4" into branch "main" already exists:\nhttps://github.com/acme/widgets/pull/7\n',
    });
    expect(await review.submit(request)).toEqual({ id: '7', url: 'https://github.com/acme/widgets/pull/7', number: 7 });
  });

  it('comments and reviews with bodies on stdin', async () => {
    const { calls, review } = setup();
    await review.comment(3, 'lint: 2 problems');
    await review.review('https://github.com/acme/widgets/pull/3', { event: 'request-changes', body: 'tests fail' });
    expect(calls().map((c) => [c.argv, c.stdin])).toEqual([
      [['pr', 'comment', '3', '--body-file', '-'], 'lint: 2 problems'],
      [
        ['pr', 'review', 'https://github.com/acme/widgets/pull/3', '--request-changes', '--body-file', '-'],
        'tests fail',
      ],
    ]);
  });
});
