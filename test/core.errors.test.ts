import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitError, InternalError, ignoreMissing, isExitError, isKnownError, isMissing } from '../src/core/errors.js';
import { LockBusyError } from '../src/core/lock.js';
import { QueueFileError } from '../src/core/queueFolder.js';
import { GitError } from '../src/git/run.js';
import { GhError } from '../src/review/gh.js';
import { DuplicateTaskError } from '../src/tasks/duplicates.js';
import { LeaseLostError } from '../src/tasks/lease.js';
import { tempDir } from './helpers/tmp.js';

describe('error kinds', () => {
  it('what a person can fix is an ExitError', () => {
    const fixable = [
      new LockBusyError('/p/.orchestrator/queue.lock'),
      new QueueFileError('/p/tasks/incoming/TASK-1.md: line 2: missing id'),
      new DuplicateTaskError({ id: 'TASK-1', kept: '/p/done/TASK-1.md', quarantined: [] }, '/p/incoming/TASK-1.md'),
    ];
    for (const err of fixable) {
      expect(isExitError(err)).toBe(true);
      expect(err).not.toBeInstanceOf(InternalError);
    }
  });

  it('a failure of tickfleet’s own work is an InternalError, shown like an ExitError', () => {
    const internal = [
      new GitError('/p', ['rebase', 'main'], { code: 1, stdout: '', stderr: 'error: could not apply abc\n' }),
      new GhError('pr create', 4, 'HTTP 401'),
      new LeaseLostError('TASK-1', 'token does not match'),
    ];
    expect(internal.map((e) => e.kind)).toEqual(['git', 'gh', 'lease']);
    for (const err of internal) {
      expect(err).not.toBeInstanceOf(ExitError);
      expect(isKnownError(err)).toBe(true);
      expect(err.exitCode).toBe(1);
      expect(err.details).toEqual([]);
    }
    expect(internal[0]!.message).toBe('git rebase main failed in /p (exit 1): error: could not apply abc');
  });

  it('anything else is a bug', () => {
    expect(isKnownError(new Error('x'))).toBe(false);
    expect(isKnownError('x')).toBe(false);
  });
});

describe('ignoreMissing', () => {
  it('turns a missing path into undefined and passes any other failure on', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'file');
    await fs.writeFile(file, 'x');
    expect(await fs.readFile(path.join(dir, 'nope'), 'utf8').catch(ignoreMissing)).toBeUndefined();
    expect(await fs.readdir(path.join(file, 'below')).catch(ignoreMissing)).toBeUndefined(); // ENOTDIR
    await expect(fs.readFile(dir, 'utf8').catch(ignoreMissing)).rejects.toMatchObject({ code: 'EISDIR' });
    expect(isMissing(new Error('no code'))).toBe(false);
  });
});
