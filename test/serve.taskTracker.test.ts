import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskDir } from '../src/core/paths.js';
import { enqueue } from '../src/roles/enqueue.js';
import type { FleetEventType } from '../src/serve/events/fleetEvent.js';
import { TaskTracker } from '../src/serve/events/taskTracker.js';
import { fleetProject } from './helpers/fleet.js';

const FLEET = `agents:
  - name: impl-1
    role: implementer
`;
const PERSON = { name: 'alice', isAgent: false };

describe('the task tracker sweep', () => {
  it('reports a move and a removal no watcher event told it of', async () => {
    const layout = await fleetProject(FLEET);
    const moved = await enqueue(layout, PERSON, { title: 'moved by hand', role: 'implement' });
    const removed = await enqueue(layout, PERSON, { title: 'removed by hand', role: 'implement' });
    const events: { type: FleetEventType; data: Record<string, unknown> }[] = [];
    const tracker = new TaskTracker(layout, (type, data) => events.push({ type, data }));
    tracker.seed();

    await tracker.sweep();
    expect(events).toEqual([]); // nothing changed since the seed

    renameSync(
      path.join(taskDir(layout, 'incoming'), `${moved.id}.md`),
      path.join(taskDir(layout, 'failed'), `${moved.id}.md`),
    );
    rmSync(path.join(taskDir(layout, 'incoming'), `${removed.id}.md`));
    await tracker.sweep();
    expect(events).toEqual([
      { type: 'task.moved', data: { id: moved.id, folder: 'failed', from: 'incoming', lifecycle: 'failed' } },
    ]);
    // A removal waits out the grace a move's late add may need, then is reported once.
    await new Promise((r) => setTimeout(r, 600));
    await tracker.sweep();
    expect(events.slice(1)).toEqual([{ type: 'task.removed', data: { id: removed.id, from: 'incoming' } }]);
    tracker.close();
  });
});
