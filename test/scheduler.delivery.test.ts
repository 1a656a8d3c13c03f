import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTick } from '../src/scheduler/tick.js';
import { byPrompt, script, text, toolUse } from '../src/scripted-api/dsl.js';
import { implementerScenario } from '../src/scripted-api/implementer.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject, runEnded } from './helpers/fleet.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git } from './helpers/tmp.js';

const AGENT = `agents:\n  - name: impl-1\n    role: implementer\n    interval_seconds: 1\n`;

async function tickAndWait(layout: Parameters<typeof runTick>[0]) {
  const report = await runTick(layout);
  if (!report.ran) throw new Error(report.reason);
  expect(report.started, JSON.stringify(report.plan.decisions)).toHaveLength(1);
  return runEnded(layout, 'impl-1');
}

describe('delivering work with the real client', () => {
  it('a skip_pr task merges straight into its base once the test command passes', async () => {
    const api = await scriptedApi(implementerScenario());
    const layout = await fleetProject(`${claudeBlock(api)}\nreview:\n  test_command: "ls changes/*.md"\n${AGENT}`);
    const task = await enqueueTask(layout, {
      title: 'Write the changelog entry',
      role: 'implement',
      created_by: 'test',
      skip_pr: true,
    });
    await tickAndWait(layout);
    const done = await findTask(layout, task.id);
    expect(done.state, allLogs(layout)).toBe('done');
    expect(done.result?.merged).toBe(git(layout.root, 'rev-parse', 'main'));
    expect(done.stage).toBe('merged'); // on the base: its dependents may start
    expect(git(layout.root, 'log', '-1', '--format=%s', 'main')).toBe(`${task.id}: Write the changelog entry`);
  });

  it('a turn limit keeps the partial work on agent/<task> for the next attempt', async () => {
    const api = await scriptedApi(
      script(
        toolUse('Write', (req) => ({ file_path: path.join(req.cwd!, 'draft.txt'), content: 'first draft\n' })),
        toolUse('Write', (req) => ({ file_path: path.join(req.cwd!, 'draft2.txt'), content: 'second draft\n' })),
        text('never reached'),
      ),
    );
    const layout = await fleetProject(
      `${claudeBlock(api)}\n  max_turns: 1\ntasks:\n  retry_backoff_seconds: 600\n${AGENT}`,
    );
    const task = await enqueueTask(layout, { title: 'Draft the docs', role: 'implement', created_by: 'test' });
    const state = await tickAndWait(layout);
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'max_turns' });
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1, wip_branch: `agent/${task.id}` });
    expect(back.error).toMatch(/^stopped at the turn limit after \d+ turns; partial work kept on agent\//);
    expect(git(layout.root, 'show', `agent/${task.id}:draft.txt`)).toBe('first draft');
  });

  it('a branch that conflicts with the base comes back; the next attempt resolves the merge and delivers', async () => {
    let mainMoved = false;
    const conflictNote = 'Merge conflicts to resolve first';
    const api = await scriptedApi(
      byPrompt(
        {
          // Second attempt: the base is merged in with conflict markers; resolve and conclude the merge.
          // The real client refuses to overwrite a file it has not read.
          [conflictNote]: script(
            toolUse('Read', (req) => ({ file_path: path.join(req.cwd!, 'shared.txt') })),
            toolUse('Write', (req) => ({
              file_path: path.join(req.cwd!, 'shared.txt'),
              content: 'agent and human agree\n',
            })),
            toolUse('Bash', { command: 'git add -A && git commit --no-edit -m "Resolve the merge with main"' }),
            text('Resolved the conflict in shared.txt.'),
          ),
        },
        // First attempt: change shared.txt, while a person changes the same line on main.
        script(
          toolUse('Read', (req) => ({ file_path: path.join(req.cwd!, 'shared.txt') })),
          toolUse('Write', (req) => ({ file_path: path.join(req.cwd!, 'shared.txt'), content: 'agent version\n' })),
          (req) => {
            if (!mainMoved) {
              writeFileSync(path.join(layoutRoot, 'shared.txt'), 'human version\n');
              git(layoutRoot, 'commit', '-qam', 'a person edits shared.txt');
              mainMoved = true;
            }
            return toolUse('Bash', {
              command: `git add -A && git commit -m '${/Your task: (TASK-\w+)/.exec(req.firstUserText)![1]}: change shared.txt'`,
            });
          },
          text('Changed shared.txt.'),
        ),
      ),
    );
    const layout = await fleetProject(`${claudeBlock(api)}\ntasks:\n  retry_backoff_seconds: 0\n${AGENT}`, {
      'shared.txt': 'original\n',
    });
    const layoutRoot = layout.root;
    git(layout.root, 'add', '-A');
    git(layout.root, 'commit', '-qm', 'tickfleet set up');
    const task = await enqueueTask(layout, { title: 'Change shared.txt', role: 'implement', created_by: 'test' });

    const first = await tickAndWait(layout);
    expect(first.last_outcome, allLogs(layout)).toMatchObject({ kind: 'conflict' });
    const back = await findTask(layout, task.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1, wip_branch: `agent/${task.id}` });
    expect(back.error).toMatch(/conflicts with main in shared\.txt/);

    await tickAndWait(layout);
    const done = await findTask(layout, task.id);
    expect(done.state, allLogs(layout)).toBe('done');
    expect(done.stage).toBe('in_review'); // delivered to the local review queue, not merged yet
    const branch = `agent/${task.id}`;
    expect(git(layout.root, 'show', `${branch}:shared.txt`)).toBe('agent and human agree');
    // The person's commit is in the delivered branch: it merges into main without conflict.
    expect(git(layout.root, 'merge-base', '--is-ancestor', 'main', branch)).toBe('');
  });
});
