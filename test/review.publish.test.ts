import { describe, expect, it } from 'vitest';
import type { CheckVerdict } from '../src/gatekeeper/verdict.js';
import { createGithubReview } from '../src/review/github.js';
import { pollPullRequests } from '../src/review/pulls/poll.js';
import { CHECKS_MARKER } from '../src/review/pulls/publish.js';
import { fakeGh } from './helpers/fakeGh.js';
import { git, tempRepo } from './helpers/tmp.js';

function verdict(
  check: string,
  v: CheckVerdict['verdict'],
  head: string,
  extra: Partial<CheckVerdict> = {},
): CheckVerdict {
  return {
    check,
    branch: 'agent/TASK-1',
    head,
    verdict: v,
    required: true,
    summary: v === 'pass' ? `${check} passed` : `${check}: 2 problems`,
    findings: v === 'pass' ? [] : [{ file: 'src/a.ts', line: 3, severity: 'error', message: 'unused variable x' }],
    by: { command: `npm run ${check}` },
    at: '2026-03-10T12:00:00Z',
    ...extra,
  };
}

function setup() {
  const root = tempRepo();
  git(root, 'checkout', '-q', '-b', 'agent/TASK-1');
  git(root, 'commit', '-q', '--allow-empty', '-m', 'work');
  const head = git(root, 'rev-parse', 'HEAD');
  const gh = fakeGh(root);
  const pr = gh.openPr('agent/TASK-1', head);
  return { gh, pr, head, review: createGithubReview({ root, env: gh.env }) };
}

describe('publishing check verdicts on a PR', () => {
  it('posts each verdict as a tickfleet/<check> status on the head and one summary comment', async () => {
    const { gh, pr, head, review } = setup();
    const published = await review.publishVerdicts(pr, head, [
      verdict('lint', 'fail', head),
      verdict('tests', 'pass', head),
      verdict('security', 'error', head, { required: false, summary: 'the client failed to start' }),
    ]);
    expect(published).toEqual({
      statuses: ['tickfleet/lint', 'tickfleet/tests', 'tickfleet/security'],
      comment: 'created',
    });
    const state = gh.state();
    expect(state.statuses[head]!.map((s) => [s.context, s.state, s.description]).reverse()).toEqual([
      ['tickfleet/lint', 'failure', 'lint: 2 problems'],
      ['tickfleet/tests', 'success', 'tests passed'],
      ['tickfleet/security', 'error', 'the client failed to start'],
    ]);
    expect(state.comments).toHaveLength(1);
    const body = state.comments[0]!.body;
    expect(body.startsWith(CHECKS_MARKER)).toBe(true);
    expect(body).toContain(`tickfleet checks on \`${head.slice(0, 12)}\``);
    expect(body).toContain('| lint | ❌ fail | required | lint: 2 problems |');
    expect(body).toContain('- `src/a.ts:3` error: unused variable x');
    // The statuses are what GitHub's rollup (and branch protection) sees.
    const polled = await pollPullRequests(gh.gh);
    expect(polled[0]!.statusCheckRollup!.map((e) => e.context)).toEqual([
      'tickfleet/security',
      'tickfleet/tests',
      'tickfleet/lint',
    ]);
  });

  it('publishing the same verdicts twice posts no second status or comment', async () => {
    const { gh, pr, head, review } = setup();
    const verdicts = [verdict('lint', 'fail', head), verdict('tests', 'pass', head)];
    await review.publishVerdicts(pr, head, verdicts);
    const before = gh.state();
    expect(await review.publishVerdicts(pr, head, verdicts)).toEqual({ statuses: [], comment: 'unchanged' });
    const after = gh.state();
    expect(after.statuses).toEqual(before.statuses);
    expect(after.comments).toEqual(before.comments);
    const writes = after.calls.slice(before.calls.length).filter((c) => c.includes('-f') || c.includes('-F'));
    expect(writes).toEqual([]);
  });

  it('a changed verdict updates its status and edits the one comment, never posting a second', async () => {
    const { gh, pr, head, review } = setup();
    await review.publishVerdicts(pr, head, [verdict('lint', 'fail', head), verdict('tests', 'pass', head)]);
    gh.update((s) => s.comments.push({ id: 5, pr, body: 'LGTM from a person', author: 'alice' }));
    expect(
      await review.publishVerdicts(pr, head, [verdict('lint', 'pass', head), verdict('tests', 'pass', head)]),
    ).toEqual({ statuses: ['tickfleet/lint'], comment: 'edited' });
    const state = gh.state();
    const mine = state.comments.filter((c) => c.body.includes(CHECKS_MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ edits: 1 });
    expect(mine[0]!.body).toContain('| lint | ✅ pass | required | lint passed |');
    expect(state.comments.find((c) => c.id === 5)!.body).toBe('LGTM from a person');
    expect(state.calls.filter((c) => c.includes('PATCH'))).toEqual([
      ['api', '-X', 'PATCH', `repos/{owner}/{repo}/issues/comments/${mine[0]!.id}`, '-F', 'body=@-'],
    ]);
  });
});
