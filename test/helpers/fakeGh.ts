import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ghFor } from '../../src/review/pulls/poll.js';
import type { PullState } from '../../src/review/pulls/pullState.js';
import { tempDir } from './tmp.js';

const FAKE_GH_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'fake-gh-state');

/** A PR as the fake gh stores it: what the poll reads, plus what it derives the rest from. */
export interface FakePr
  extends Pick<
    PullState,
    'number' | 'url' | 'headRefName' | 'headRefOid' | 'baseRefName' | 'state' | 'mergedAt' | 'closedAt'
  > {
  reviewDecision?: string;
  /** CI check runs: name, status, conclusion, detailsUrl. */
  checks?: Record<string, string>[];
  reviews?: { author: string; state: string; body: string; submittedAt: string; commit?: string }[];
  /** Set by `gh pr merge --auto --<method>`: the method, upper case, as GitHub reports it. */
  autoMergeRequest?: { mergeMethod: string };
}

export interface FakeGhState {
  prs: FakePr[];
  /** sha → statuses, newest first. */
  statuses: Record<string, { context: string; state: string; description: string }[]>;
  comments: { id: number; pr: number; body: string; author?: string; edits?: number }[];
  runs: Record<string, { log: string }>;
  calls: string[][];
  /** false: the repository does not allow auto-merge, and `gh pr merge --auto` is refused. */
  autoMergeAllowed?: boolean;
}

/**
 * The fake gh of test/fixtures/fake-gh-state with its state file in a temp
 * dir: tests put PRs, checks, reviews and run logs in, and read back the
 * statuses, comments and calls tickfleet made.
 */
export function fakeGh(root: string) {
  chmodSync(path.join(FAKE_GH_DIR, 'gh'), 0o755);
  const file = path.join(tempDir('tickfleet-fake-gh-'), 'gh-state.json');
  const write = (s: FakeGhState) => writeFileSync(file, JSON.stringify(s, null, 2));
  write({ prs: [], statuses: {}, comments: [], runs: {}, calls: [] });
  const env = { PATH: `${FAKE_GH_DIR}${path.delimiter}${process.env.PATH}`, FAKE_GH_STATE: file };
  const state = (): FakeGhState => JSON.parse(readFileSync(file, 'utf8')) as FakeGhState;
  const update = (fn: (s: FakeGhState) => void) => {
    const s = state();
    fn(s);
    write(s);
  };
  return {
    env,
    state,
    update,
    gh: ghFor(root, { env }),
    failing: ghFor(root, { env: { ...env, FAKE_GH_FAIL: '1' } }),
    /** Open a PR for `branch` at `head`; returns its number. */
    openPr(branch: string, head: string, extra: Partial<FakePr> = {}): number {
      let number = 0;
      update((s) => {
        number = s.prs.length + 1;
        s.prs.push({
          number,
          url: `https://github.com/acme/widgets/pull/${number}`,
          headRefName: branch,
          headRefOid: head,
          baseRefName: 'main',
          state: 'OPEN',
          ...extra,
        });
      });
      return number;
    },
    setPr(number: number, change: Partial<FakePr>): void {
      update((s) => Object.assign(s.prs.find((p) => p.number === number)!, change));
    },
    calls: () => state().calls,
  };
}
