import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileP = promisify(execFile);

describe('npm run demo', () => {
  it('takes a sample project from enqueued tasks to merged work with the real client, offline', async () => {
    const { stdout } = await execFileP(process.execPath, [path.resolve('dist/demo/main.js')], { timeout: 240_000 });
    const kept = /delete (\S+) when done/.exec(stdout)?.[1];
    try {
      // The dependent task waits for its blocker's merge, not its delivery; a person's approval merges it.
      expect(stdout).toMatch(/The validation task waits: its blocker TASK-[0-9a-f]{8} is delivered but not merged yet/);
      expect(stdout).toMatch(/✓ REV-TASK-[0-9a-f]{8} merged: main is now [0-9a-f]{12}/);
      expect(stdout).toMatch(/^\s+lifecycle\s+in review 2 · merged 1$/m);
      // Every task done: the status board's queue total row reads 0 incoming, 0 claimed, 3 done, 0 failed.
      expect(stdout).toMatch(/^\s+total\s+0\s+0\s+3\s+0$/m);
      expect(stdout).toMatch(/total: 3 runs · \$\d+\.\d\d/);
      // The two branches not approved are what the status board says needs a person.
      expect(stdout).toMatch(/2 branches wait for your review: REV-TASK-[0-9a-f]{8}, REV-TASK-[0-9a-f]{8}/);
    } finally {
      if (kept) rmSync(kept, { recursive: true, force: true });
    }
  });
});
