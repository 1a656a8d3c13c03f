import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMessages } from '../src/messages/list.js';
import { byPrompt, script, structuredOutput } from '../src/scripted-api/dsl.js';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { findTask, listTasks } from '../src/tasks/list.js';
import { allLogs, claudeBlock, fleetProject } from './helpers/fleet.js';
import { bash, tickRun, toolResults } from './helpers/roles.js';
import { scriptedApi } from './helpers/scriptedApi.js';
import { git } from './helpers/tmp.js';

const BRANCH = 'agent/TASK-0badc0de';

const FINDINGS = {
  verdict: 'request_changes',
  summary: 'The change drops the guard for an empty name.',
  findings: [
    {
      severity: 'high',
      file: 'src/greet.js',
      line: 1,
      title: 'greet() accepts an empty name',
      detail: 'greet("") returns "Hello, "; throw on an empty name as before.',
      create_task: true,
    },
    {
      severity: 'low',
      file: 'src/greet.js',
      title: 'The arrow function could be named',
      detail: 'A named function reads better in stack traces.',
      create_task: false,
    },
  ],
};

async function project(api: Awaited<ReturnType<typeof scriptedApi>>) {
  const layout = await fleetProject(
    `${claudeBlock(api)}\ntasks:\n  retry_backoff_seconds: 0\nagents:\n  - name: reviewer-1\n    role: reviewer\n    interval_seconds: 1\n`,
    {
      'README.md': '# greeter\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
      'src/greet.js': 'export const greet = (n) => { if (!n) throw new Error("name"); return `Hello, ${n}`; };\n',
    },
  );
  // The implementer's branch under review: one commit that removes the guard.
  git(layout.root, 'checkout', '-q', '-b', BRANCH);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
  writeFileSync(`${layout.root}/src/greet.js`, 'export const greet = (n) => `Hello, ${n}`;\n');
  git(layout.root, 'commit', '-q', '-am', 'TASK-0badc0de: drop the guard');
  git(layout.root, 'checkout', '-q', 'main');
  return layout;
}

describe('reviewer, end to end through the real client', () => {
  it('reviews the branch, turns a finding into a fix task on that branch, sends the note, completes with the verdict', async () => {
    const api = await scriptedApi(script(bash('git log --format=%s -1'), structuredOutput(FINDINGS)));
    const layout = await project(api);
    const review = await enqueueTask(layout, {
      title: 'Review TASK-0badc0de',
      role: 'review',
      branch: BRANCH,
      created_by: 'pm',
      context: 'Check the shorter greet().',
    });

    const { state, record } = await tickRun(layout, 'reviewer-1');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'success', task_id: review.id });
    // The worktree started at the branch under review, and the prompt listed its commits.
    expect(toolResults(layout, 'reviewer-1', record.run_id)[0]).toMatchObject({
      isError: false,
      content: 'TASK-0badc0de: drop the guard',
    });
    expect(api.conversation()[0]!.firstUserText).toContain(
      `This worktree is at \`${BRANCH}\`, the change under review`,
    );
    expect(api.conversation()[0]!.tools).toContain('StructuredOutput');

    const fixes = (await listTasks(layout, { states: ['incoming'] })).tasks;
    expect(fixes).toHaveLength(1);
    const fix = fixes[0]!;
    expect(fix).toMatchObject({
      title: 'Fix (high): greet() accepts an empty name',
      role: 'implement',
      priority: 'P1',
      branch: BRANCH,
      created_by: 'reviewer-1',
    });
    expect(fix.body).toContain(`reviewing ${review.id}`);
    expect(fix.body).toContain('`src/greet.js:1` — greet("") returns "Hello, "');

    const done = await findTask(layout, review.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ verdict: 'request_changes', branch: BRANCH, findings: 2, tasks: [fix.id] });
    expect(done.body).toContain('## Handoff\n**request_changes**: The change drops the guard');
    // A review leaves nothing in its checkout worth keeping.
    expect(existsSync(path.join(layout.agents, 'reviewer-1', 'worktrees', review.id))).toBe(false);

    const [note, ...more] = await listMessages(layout);
    expect(more).toEqual([]);
    expect(note).toMatchObject({
      type: 'warning',
      from: 'reviewer-1',
      task: review.id,
      title: `Review of ${BRANCH}: 1 finding for people`,
    });
    expect(note!.body).toContain('The arrow function could be named');
    expect(note!.body).toContain(`Fix tasks filed: ${fix.id}.`);
  });

  it('a decision that breaks the rules fails the run: the review task goes back with attempts + 1 and nothing is filed', async () => {
    const api = await scriptedApi(
      byPrompt({
        // Fits the schema, but asks for changes without saying which.
        'Review the empty verdict': script(
          structuredOutput({ verdict: 'request_changes', summary: 'Something is off.', findings: [] }),
        ),
      }),
    );
    const layout = await project(api);
    const review = await enqueueTask(layout, {
      title: 'Review the empty verdict',
      role: 'review',
      branch: BRANCH,
      created_by: 'pm',
    });

    const { state } = await tickRun(layout, 'reviewer-1');
    expect(state.last_outcome, allLogs(layout)).toMatchObject({ kind: 'invalid_decision', task_id: review.id });
    const back = await findTask(layout, review.id);
    expect(back).toMatchObject({ state: 'incoming', attempts: 1 });
    expect(back.error).toContain('invalid review decision: findings: request_changes needs at least one finding');
    expect(existsSync(path.join(layout.agents, 'reviewer-1', 'worktrees', review.id))).toBe(false);
    expect((await listTasks(layout)).tasks).toHaveLength(1);
    expect(await listMessages(layout)).toEqual([]);
  });
});
