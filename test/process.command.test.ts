import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/process/command.js';
import { tempDir } from './helpers/tmp.js';

describe('runCommand', () => {
  it('gives exit code and output, without the final newline unless asked', async () => {
    expect(await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 2'])).toEqual({
      missing: false,
      exitCode: 2,
      stdout: 'out',
      stderr: 'err',
    });
    expect(await runCommand('sh', ['-c', 'echo out'], { keepFinalNewline: true })).toMatchObject({ stdout: 'out\n' });
  });

  it('feeds input on stdin', async () => {
    expect(await runCommand('cat', [], { input: 'line\n', keepFinalNewline: true })).toMatchObject({
      exitCode: 0,
      stdout: 'line\n',
    });
  });

  it('a command not found is missing, exit 127', async () => {
    expect(await runCommand('tickfleet-no-such-tool', [])).toEqual({
      missing: true,
      exitCode: 127,
      stdout: '',
      stderr: '',
    });
  });

  it('a command that cannot be executed is missing only when asked', async () => {
    const script = path.join(tempDir(), 'tool');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o644);
    expect(await runCommand(script, [])).toMatchObject({ missing: false, exitCode: 1 });
    expect(await runCommand(script, [], { unexecutableIsMissing: true })).toMatchObject({
      missing: true,
      exitCode: 127,
    });
  });

  it('a timeout is noted at the head of stderr', async () => {
    const r = await runCommand('sh', ['-c', 'echo slow >&2; exec sleep 100'], { timeoutMs: 300 });
    expect(r).toMatchObject({ missing: false, exitCode: 1, stderr: 'timed out after 0.3s: slow' });
  });

  it("a given environment replaces this process's", async () => {
    expect((await runCommand('/bin/sh', ['-c', 'echo "[$HOME][$X]"'], { env: { X: '1' } })).stdout).toBe('[][1]');
  });
});
