import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateAgentState } from '../src/agents/state.js';
import { spareMakingPath } from '../src/core/paths.js';
import { checkWorktrees } from '../src/doctor/checks/worktrees.js';
import { fleetProject } from './helpers/fleet.js';
import { git } from './helpers/tmp.js';

describe('doctor: worktrees', () => {
  it('a spare a recorded run is making is in use; a dead run’s half-made spare is an orphan', async () => {
    const layout = await fleetProject('agents:\n  - name: impl-1\n    role: implementer\n');
    const making = spareMakingPath(layout, 'impl-1', 'run-1');
    const leftover = spareMakingPath(layout, 'impl-1', 'run-0');
    for (const dir of [making, leftover]) git(layout.root, 'worktree', 'add', '-q', '--detach', dir, 'HEAD');
    await updateAgentState(layout, 'impl-1', (s) => ({
      ...s,
      running: { run_id: 'run-1', started_at: new Date().toISOString(), pid: process.pid },
    }));

    const found = (await checkWorktrees(layout)).map((f) => f.found).join('\n');
    expect(found).not.toContain(path.basename(making));
    expect(found).toContain(`orphan worktree .orchestrator/agents/impl-1/worktrees/${path.basename(leftover)}`);
  });
});
