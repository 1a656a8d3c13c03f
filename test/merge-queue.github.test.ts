import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { approvePull } from '../src/gatekeeper/pullChecks.js';
import type { WaitingBranch } from '../src/gatekeeper/waiting.js';
import { listMessages } from '../src/messages/list.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { fakeGh } from './helpers/fakeGh.js';
import { fleetProject } from './helpers/fleet.js';

async function approvedPull(method?: 'merge' | 'squash' | 'rebase', allowed = true) {
  const layout = await fleetProject('review:\n  backend: github\nagents: []\n');
  const gh = fakeGh(layout.root);
  if (!allowed)
    gh.update((s) => {
      s.autoMergeAllowed = false;
    });
  const task = await enqueueTask(layout, { title: 'add a', role: 'implement', created_by: 'test' });
  const head = 'a'.repeat(40);
  const pr = gh.openPr(`agent/${task.id}`, head);
  const branch: WaitingBranch & { pr: number } = {
    subject: `agent-${task.id}`,
    pr,
    task: task.id,
    branch: `agent/${task.id}`,
    base: 'main',
    head,
    checks: [],
  };
  const lines: string[] = [];
  const options = {
    clock: new FakeClock(new Date()),
    log: (l: string) => lines.push(l),
    ...(method ? { mergeMethod: method } : {}),
  };
  await approvePull(layout, gh.gh, branch, options);
  // A second pass over the same head changes nothing: no second approval, auto-merge request or message.
  await approvePull(layout, gh.gh, branch, options);
  return { layout, gh, pr, lines };
}

describe('the github back end lands through GitHub’s own gates', () => {
  it('an approved PR gets auto-merge with the configured method, once', async () => {
    const { gh, pr, lines } = await approvedPull('squash');
    const merges = gh.calls().filter((c) => c[0] === 'pr' && c[1] === 'merge');
    expect(merges).toEqual([['pr', 'merge', String(pr), '--auto', '--squash']]);
    expect(gh.state().prs[0]!.autoMergeRequest).toEqual({ mergeMethod: 'SQUASH' });
    expect(lines.join('\n')).toContain('auto-merge enabled');
  });

  it('a PR whose auto-merge cannot be enabled says why, once', async () => {
    const { layout, gh } = await approvedPull(undefined, false);
    expect(gh.calls().filter((c) => c[1] === 'merge')).toEqual([['pr', 'merge', '1', '--auto', '--merge']]);
    expect(gh.state().prs[0]!.autoMergeRequest).toBeUndefined();
    const messages = await listMessages(layout);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.title).toBe('PR #1: auto-merge could not be enabled');
    expect(messages[0]!.body).toContain('Auto merge is not allowed for this repository');
  });
});
