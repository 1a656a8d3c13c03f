import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../src/process/run.js';
import { tempDir } from './helpers/tmp.js';

describe('runProcess', () => {
  it('captures stdout, stderr and the exit code, newlines as written', async () => {
    const r = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, signal: null, timedOut: false });
    expect(r.spawnError).toBeUndefined();
  });

  it('drops the final newline when asked', async () => {
    const r = await runProcess('sh', ['-c', 'printf "a\\n\\n"; printf "e\\n" >&2'], { stripFinalNewline: true });
    expect(r).toMatchObject({ stdout: 'a\n', stderr: 'e', exitCode: 0 });
  });

  it('passes arguments without a shell, and input on stdin', async () => {
    const r = await runProcess('sh', ['-c', 'printf "%s|" "$1"; cat', 'sh', "it's $HOME; `x`"], {
      input: 'from stdin',
    });
    expect(r.stdout).toBe("it's $HOME; `x`|from stdin");
  });

  it('closes stdin when there is no input, so nothing waits on it', async () => {
    const r = await runProcess('cat', [], { timeoutMs: 5_000 });
    expect(r).toMatchObject({ stdout: '', exitCode: 0, timedOut: false });
  });

  it('runs in cwd', async () => {
    const dir = tempDir();
    const r = await runProcess('pwd', [], { cwd: dir, stripFinalNewline: true });
    expect(path.basename(r.stdout)).toBe(path.basename(dir));
  });

  it('a command that cannot start is a spawnError, not a throw', async () => {
    const missing = await runProcess('tickfleet-no-such-command', []);
    expect(missing.spawnError?.code).toBe('ENOENT');
    expect(missing).toMatchObject({ exitCode: null, signal: null, stdout: '', stderr: '' });
    const script = path.join(tempDir(), 'not-executable');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o644);
    expect((await runProcess(script, [])).spawnError?.code).toBe('EACCES');
  });

  it('a timeout with SIGKILL ends the command at once and says so', async () => {
    const started = Date.now();
    const r = await runProcess('sh', ['-c', 'echo begun; exec sleep 100'], { timeoutMs: 200, killSignal: 'SIGKILL' });
    expect(r).toMatchObject({ stdout: 'begun\n', exitCode: null, signal: 'SIGKILL', timedOut: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a timeout sends SIGTERM first, SIGKILL after the grace when ignored', async () => {
    const polite = await runProcess('sleep', ['100'], { timeoutMs: 200 });
    expect(polite).toMatchObject({ signal: 'SIGTERM', timedOut: true });
    const stubborn = await runProcess('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], {
      timeoutMs: 300,
      killGraceMs: 200,
    });
    expect(stubborn).toMatchObject({ signal: 'SIGKILL', timedOut: true });
  });

  it('a command that ends in time is not marked timed out', async () => {
    expect(await runProcess('true', [], { timeoutMs: 5_000, killSignal: 'SIGKILL' })).toMatchObject({
      exitCode: 0,
      timedOut: false,
    });
  });
});
