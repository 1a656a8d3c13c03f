import type { Layout } from '../../src/core/paths.js';
import { createLocalReview } from '../../src/review/local.js';
import { fleetProject } from './fleet.js';
import { deliverBranch } from './gatekeeper.js';
import { git } from './tmp.js';

/** The project's test: red while a file named CULPRIT* is in the tree, with a line a fix task must carry. */
export const CULPRIT_TEST = `#!/bin/sh
for f in CULPRIT*; do
  if [ -e "$f" ]; then echo "FAIL: $f must not ship"; exit 1; fi
done
echo "all tests pass"
`;

/** Red on its first run, green after: it leaves a marker in the repository's git dir (outside any work tree). */
export const FLAKY_TEST = `#!/bin/sh
marker="$(git rev-parse --git-common-dir)/flaky-ran"
if [ ! -f "$marker" ]; then touch "$marker"; echo "FLAKY: timing out on the first run"; exit 1; fi
echo "all tests pass"
`;

/**
 * A real project whose \`review.test_command\` is a script committed in the
 * repository, its base \`main\` checked out clean in the root.
 */
export async function queueProject(
  script: string,
  options: { batchSize?: number; extra?: string } = {},
): Promise<Layout> {
  const layout = await fleetProject(
    `review:\n  backend: local\n  test_command: sh test.sh\nmerge_queue:\n  batch_size: ${options.batchSize ?? 4}\n${options.extra ?? ''}agents: []\n`,
    { 'README.md': '# app\n', 'test.sh': script },
  );
  git(layout.root, 'add', '-A');
  git(layout.root, 'commit', '-qm', 'tickfleet');
  return layout;
}

let approvals = 0;

/** A delivered branch, approved by a person without merging: it waits in the merge queue, approved a second after the one before. */
export async function approvedBranch(
  layout: Layout,
  title: string,
  files: Record<string, string>,
): Promise<Awaited<ReturnType<typeof deliverBranch>>> {
  const delivered = await deliverBranch(layout, { title, files });
  const clock = { now: () => new Date(Date.UTC(2026, 0, 1) + ++approvals * 1000) };
  await createLocalReview({ layout, clock }).approve(delivered.review);
  return delivered;
}
