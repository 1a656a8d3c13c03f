import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTask, renderTask, taskFields } from '../src/tasks/format.js';
import { parseFrontMatter, renderFrontMatter } from '../src/tasks/frontMatter.js';
import type { Task } from '../src/tasks/task.js';

// A claim sets the lease of a task written with `lease: null` (or without one). That edit is made as a text edit
// (frontMatter.ts setNullFields) without a second parse; these compare it with the document edit it stands for.

const FILE = path.join('/q', 'incoming', 'TASK-1.md');
const LEASE = {
  holder: 'impl-1',
  token: '00123e45',
  acquired_at: '2026-01-01T00:00:00Z',
  expires_at: '2026-01-01T01:00:00Z',
};
const BODY = '\n## Context\nSomething.\n';

function leased(text: string): { task: Task; rendered: ReturnType<typeof renderTask> } {
  const task = parseTask(text, FILE, 'incoming');
  task.lease = { ...LEASE };
  return { task, rendered: renderTask(task) };
}

/** What the document edit (the general way) writes for the same change. */
function documentEdit(text: string): string {
  const { parts } = parseFrontMatter(text, FILE);
  const task = parseTask(text, FILE, 'incoming');
  return renderFrontMatter(parts, ['lease'], { ...taskFields(task), lease: { ...LEASE } }, parts.body);
}

const front = (yaml: string) => `---\n${yaml}---\n${BODY}`;

describe('setting a lease on a task that has none', () => {
  it.each([
    ['lease: null, as a new file writes it', 'id: TASK-1\ntitle: t\nrole: implement\nlease: null\nresult: null\n'],
    ['no lease key at all', 'id: TASK-1\ntitle: t\nrole: implement\n'],
    ['lease: ~ with other keys after it', 'id: TASK-1\ntitle: t\nlease: ~\nrole: implement\nerror: null\n'],
    ['an empty lease value', 'id: TASK-1\ntitle: t\nrole: implement\nlease:\nresult: null\n'],
  ])('%s: the same bytes as the document edit, and the task as they read back', (_, yaml) => {
    const text = front(yaml);
    const { rendered } = leased(text);
    expect(rendered.text).toBe(documentEdit(text));
    const reread = parseTask(rendered.text, FILE, 'incoming');
    expect(taskFields(rendered.written)).toEqual(taskFields(reread));
    expect(rendered.written.lease).toEqual(LEASE);
    // A token that looks like a number stays a string: the value is printed by the YAML library.
    expect(reread.lease?.token).toBe('00123e45');
    expect(rendered.written.body).toBe(BODY);
  });

  it('a task made this way takes a later edit as one that was read', () => {
    const { rendered } = leased(front('id: TASK-1\ntitle: t\nrole: implement\nlease: null\nerror: null\n'));
    const next = { ...rendered.written, lease: undefined, error: 'crashed' };
    const again = renderTask(next);
    const reread = parseTask(again.text, FILE, 'incoming');
    expect(reread.lease).toBeUndefined();
    expect(reread.error).toBe('crashed');
    expect(taskFields(again.written)).toEqual(taskFields(reread));
  });

  it.each([
    ['a comment on the lease line', 'id: TASK-1\ntitle: t\nrole: implement\nlease: null # set by the claim\n'],
    ['a comment at the end', 'id: TASK-1\ntitle: t\nrole: implement\nlease: null\n# the end\n'],
    ['a flow mapping', '{id: TASK-1, title: t, role: implement, lease: null}\n'],
    ['a mapping indented as a whole', '  id: TASK-1\n  title: t\n  role: implement\n'],
    ['a lease on two lines', 'id: TASK-1\ntitle: t\nrole: implement\nlease:\n  null\n'],
  ])('%s: takes the document edit, and reads back the same', (_, yaml) => {
    const text = front(yaml);
    const { rendered } = leased(text);
    expect(rendered.text).toBe(documentEdit(text));
    expect(taskFields(rendered.written)).toEqual(taskFields(parseTask(rendered.text, FILE, 'incoming')));
  });

  it('refuses a lease a parse would refuse, as the document edit does', () => {
    const task = parseTask(front('id: TASK-1\ntitle: t\nrole: implement\nlease: null\n'), FILE, 'incoming');
    task.lease = { ...LEASE, expires_at: 'tomorrow' };
    expect(() => renderTask(task)).toThrow(/TASK-1\.md: lease\.expires_at/);
  });
});
